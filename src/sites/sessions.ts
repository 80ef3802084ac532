import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Cookie sessions of one site: an opaque token maps to a user key (an id or a username). */
export class SessionStore<UserKey> {
  private readonly sessions = new Map<string, UserKey>();

  constructor(private readonly cookieName: string) {}

  /** The signed-in user of a request, or undefined. */
  current(request: FastifyRequest): UserKey | undefined {
    const token = request.cookies[this.cookieName];
    return token === undefined ? undefined : this.sessions.get(token);
  }

  signIn(reply: FastifyReply, user: UserKey): void {
    const token = randomUUID();
    this.sessions.set(token, user);
    void reply.setCookie(this.cookieName, token, { path: '/', httpOnly: true, sameSite: 'lax' });
  }

  signOut(request: FastifyRequest, reply: FastifyReply): void {
    const token = request.cookies[this.cookieName];
    if (token !== undefined) this.sessions.delete(token);
    void reply.clearCookie(this.cookieName, { path: '/' });
  }
}
