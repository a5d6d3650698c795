/** Who is asking, after the token (if any) was checked. */
export type Principal =
  | { readonly kind: 'admin' }
  | { readonly kind: 'read' }
  | { readonly kind: 'push'; readonly jobId: string }
  | { readonly kind: 'anonymous' };

export const OPEN_ADMIN: Principal = { kind: 'admin' };
