import { randomBytes } from 'node:crypto';

/** Run and task ids: 32 lower-case hex characters (128 random bits). */
export const newId = (): string => randomBytes(16).toString('hex');

/** Task tokens: 256 random bits, shown to nobody but the executor. */
export const newToken = (): string => randomBytes(32).toString('base64url');
