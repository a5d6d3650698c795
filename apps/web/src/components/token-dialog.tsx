import { useEffect, useRef, useState } from 'preact/hooks';
import { onAuthRequired, setToken } from '../api/auth.js';

/** Asks for a token when the server answered 401, and keeps it (localStorage). */
export function TokenDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState('');
  useEffect(
    () =>
      onAuthRequired(() => {
        if (ref.current && !ref.current.open) ref.current.showModal();
      }),
    [],
  );
  return (
    <dialog ref={ref} aria-labelledby="token-title">
      <form
        method="dialog"
        onSubmit={() => {
          setToken(value.trim() || null);
          setValue('');
        }}
      >
        <h2 id="token-title">Token required</h2>
        <p>This Tally server needs a token. It is kept in this browser and sent as a Bearer token.</p>
        <label>
          Token
          <input
            type="password"
            autoComplete="off"
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            required
          />
        </label>
        <div class="actions">
          <button type="submit" class="primary">
            Use token
          </button>
        </div>
      </form>
    </dialog>
  );
}
