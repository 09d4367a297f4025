import { describe, expect, it } from 'vitest';
import { loginUrl, redactUrl } from './login.ts';

describe('the application login URL', () => {
  it('is the owner URL with the login role and its own password', () => {
    expect(loginUrl('postgres://airlock:owner-secret@postgres:5432/airlock?sslmode=require', 'app secret/1')).toBe(
      'postgres://airlock_app:app%20secret%2F1@postgres:5432/airlock?sslmode=require',
    );
  });

  it('carries no password (not the owner’s) when none is configured', () => {
    expect(loginUrl('postgres://postgres:owner-secret@127.0.0.1:5432/test', undefined)).toBe('postgres://airlock_app@127.0.0.1:5432/test');
  });

  it('is redacted in messages', () => {
    expect(redactUrl(loginUrl('postgres://o:p@h/d', 'secret'))).toBe('postgres://airlock_app:***@h/d');
  });
});
