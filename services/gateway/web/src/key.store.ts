/**
 * The API key lives in localStorage so an operator signs in once per
 * browser; it is sent only as `Authorization: Bearer` to our own origin.
 */
const STORAGE_KEY = 'posflow.apiKey';

export const keyStore = {
  get(): string | null {
    try {
      return localStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  },
  set(key: string): void {
    localStorage.setItem(STORAGE_KEY, key);
  },
  clear(): void {
    localStorage.removeItem(STORAGE_KEY);
  },
};
