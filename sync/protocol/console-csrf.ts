/**
 * The header that carries the CSRF token on every state-changing console call. Its own module,
 * without TypeBox, so the console web app can import it without bundling the schema builder.
 */
export const CSRF_HEADER = 'x-csrf-token';
