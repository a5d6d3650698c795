// Optional auth: the server answers 401 when it wants a token; the UI then asks for one and
// sends it as `Authorization: Bearer <token>` on every request, remembered in localStorage.

const TOKEN_KEY = 'tally.token';

type Listener = () => void;
const listeners = new Set<Listener>();

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: the token lives only as long as this page
  }
  for (const l of listeners) l();
}

/** Called when a request was refused with 401: the app shows the token dialog. */
export function onAuthRequired(listener: Listener): () => void {
  authListeners.add(listener);
  return () => authListeners.delete(listener);
}
const authListeners = new Set<Listener>();

export function signalAuthRequired(): void {
  for (const l of authListeners) l();
}

/** Called after the token changed (so pages fetch again). */
export function onTokenChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}
