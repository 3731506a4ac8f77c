// Bearer token check. Comparing SHA-256 digests of both sides makes the work independent of
// where the strings differ and of the secret's length, so timing reveals nothing about the token.

const encoder = new TextEncoder();

/** True when `a` equals `b`; the digests are compared byte by byte without an early exit. */
export async function constantTimeEquals(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  const x = new Uint8Array(da);
  const y = new Uint8Array(db);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}
