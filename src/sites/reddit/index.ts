import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { html, type SafeHtml } from '../html';
import { parseForm, safeReturnPath } from '../form-body';
import { messageMain, renderDocument } from '../page-layout';
import { SessionStore } from '../sessions';
import type { SiteDefinition } from '../site-definition';
import type { Post } from '../stores/forum-seed';
import { postScore, sortPosts, type PostSort } from '../stores/forum-store';
import type { DataStores } from '../stores/index';

const SITE_TITLE = 'Postmill';
const LOGIN_PATH = '/login';

const loginForm = z.strictObject({ _username: z.string(), _password: z.string(), referer: z.string().optional() });
const sortQuery = z.object({ sort: z.enum(['hot', 'new', 'top']).default('hot') });
const voteForm = z.strictObject({ direction: z.enum(['up', 'down']) });
const commentForm = z.strictObject({ body: z.string().trim().min(1) });
const postForm = z.strictObject({ forum: z.string().min(1), title: z.string().trim().min(1), body: z.string().trim().default('') });
const editPostForm = z.strictObject({ title: z.string().trim().min(1), body: z.string().trim().default('') });
const bioForm = z.strictObject({ biography: z.string().trim() });

/** The canonical path of a post. */
export function postPath(post: Post): string {
  return `/f/${post.forum}/${post.id}/${post.slug}`;
}

function dateText(iso: string): string {
  return new Date(iso).toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}

/** Registers the forum's pages. */
function registerRedditRoutes(app: FastifyInstance, stores: DataStores): void {
  const store = stores.forum;
  const sessions = new SessionStore<string>('forum_session');
  const page = (request: FastifyRequest, reply: FastifyReply, pageTitle: string, main: SafeHtml, status = 200): FastifyReply => {
    const user = sessions.current(request);
    return reply.code(status).type('text/html; charset=utf-8').send(renderDocument({
      siteTitle: SITE_TITLE,
      pageTitle,
      nav: [
        { href: '/forums', label: 'Forums' },
        { href: '/submit', label: 'Submit' },
        ...(user ? [{ href: `/user/${user}`, label: 'Profile' }] : []),
      ],
      account: user
        ? html`<p>Logged in as <a href="/user/${user}">${user}</a></p><form class="inline" method="post" action="/logout"><button type="submit">Log out</button></form>`
        : html`<a href="${LOGIN_PATH}">Log in</a>`,
      main,
    }));
  };
  const requireUser = (request: FastifyRequest, reply: FastifyReply): string | undefined => {
    const user = sessions.current(request);
    if (!user) void reply.redirect(`${LOGIN_PATH}?referer=${encodeURIComponent(request.method === 'GET' ? request.url : '/')}`, 303);
    return user;
  };
  const notFound = (request: FastifyRequest, reply: FastifyReply, what: string) =>
    page(request, reply, 'Not Found', messageMain('Page not found', `${what} does not exist.`), 404);
  const postList = (posts: Post[]): SafeHtml =>
    posts.length === 0
      ? html`<p>There are no submissions here.</p>`
      : html`${posts.map((post) => html`<article class="submission"><h2><a href="${postPath(post)}">${post.title}</a></h2>
<p>Submitted by <a href="/user/${post.author}">${post.author}</a> in <a href="/f/${post.forum}">${post.forum}</a> on ${dateText(post.createdAt)}. Score: ${postScore(post)}. <a href="${postPath(post)}">${store.commentsOf(post.id).length} comments</a></p></article>`)}`;

  app.get('/', (request, reply) => {
    const { sort } = parseForm('front page sort', sortQuery, request.query);
    return page(request, reply, 'Front page', html`<h1>Front page</h1>
<nav aria-label="Sort"><a href="/?sort=hot">Hot</a> <a href="/?sort=new">New</a> <a href="/?sort=top">Top</a></nav>
${postList(sortPosts(store.state.posts, sort).slice(0, 20))}`);
  });

  app.get('/forums', (request, reply) =>
    page(request, reply, 'List of forums', html`<h1>List of forums</h1>
<table><thead><tr><th scope="col">Forum</th><th scope="col">Description</th><th scope="col">Submissions</th></tr></thead>
<tbody>${store.state.forums.map((forum) => html`<tr><td><a href="/f/${forum.name}">${forum.name}</a></td><td>${forum.description}</td><td>${store.state.posts.filter((post) => post.forum === forum.name).length}</td></tr>`)}</tbody></table>`));

  app.get<{ Params: { forum: string } }>('/f/:forum', (request, reply) => {
    const forum = store.state.forums.find((candidate) => candidate.name.toLowerCase() === request.params.forum.toLowerCase());
    if (!forum) return notFound(request, reply, `Forum ${request.params.forum}`);
    const { sort } = parseForm('forum sort', sortQuery, request.query);
    const sortLink = (option: PostSort, label: string) =>
      option === sort ? html`<strong aria-current="page">${label}</strong> ` : html`<a href="/f/${forum.name}?sort=${option}">${label}</a> `;
    return page(request, reply, forum.title, html`<h1>${forum.title}</h1>
<aside class="forum-sidebar" aria-label="About this forum"><p class="forum-description">${forum.description}</p><p><a href="/submit?forum=${forum.name}">Submit a new post in ${forum.name}</a></p></aside>
<nav aria-label="Sort"><p>Sort by: ${sortLink('hot', 'Hot')}${sortLink('new', 'New')}${sortLink('top', 'Top')}</p></nav>
${postList(store.postsInForum(forum.name, sort))}`);
  });

  const findPost = (forum: string, id: string): Post | undefined => {
    const post = store.postById(Number(id));
    return post && post.forum === forum ? post : undefined;
  };

  const showPost = (request: FastifyRequest<{ Params: { forum: string; id: string } }>, reply: FastifyReply) => {
    const post = findPost(request.params.forum, request.params.id);
    if (!post) return notFound(request, reply, `Submission ${request.params.id} in ${request.params.forum}`);
    const user = sessions.current(request);
    const myVote = user ? post.votes.get(user) : undefined;
    const comments = store.commentsOf(post.id);
    return page(request, reply, post.title, html`<article class="submission submission__inner">
<h1 class="submission__title">${post.title}</h1>
<p>Submitted by <a href="/user/${post.author}">${post.author}</a> in <a href="/f/${post.forum}">${post.forum}</a> on ${dateText(post.createdAt)}</p>
<div class="submission__body">${post.body}</div>
<p>Score: <span class="submission__score">${postScore(post)}</span></p>
<form class="inline" method="post" action="/f/${post.forum}/${post.id}/vote"><input type="hidden" name="direction" value="up"><button type="submit" class="vote__up" aria-pressed="${myVote === 1 ? 'true' : 'false'}">Upvote</button></form>
<form class="inline" method="post" action="/f/${post.forum}/${post.id}/vote"><input type="hidden" name="direction" value="down"><button type="submit" class="vote__down" aria-pressed="${myVote === -1 ? 'true' : 'false'}">Downvote</button></form>
${user === post.author ? html`<p><a href="${postPath(post)}/edit">Edit this post</a></p>` : ''}
</article>
<section aria-labelledby="comments-heading" class="comments"><h2 id="comments-heading">${comments.length} comments</h2>
${comments.map((comment) => html`<article class="comment"><p><a href="/user/${comment.author}">${comment.author}</a> wrote on ${dateText(comment.createdAt)}:</p><div class="comment__body">${comment.body}</div></article>`)}
${user ? html`<form method="post" action="/f/${post.forum}/${post.id}/comment"><label for="comment-body">Comment</label><textarea id="comment-body" name="body"></textarea><button type="submit">Post comment</button></form>`
    : html`<p><a href="${LOGIN_PATH}?referer=${encodeURIComponent(postPath(post))}">Log in</a> to comment.</p>`}
</section>`);
  };
  app.get<{ Params: { forum: string; id: string } }>('/f/:forum/:id', showPost);
  app.get<{ Params: { forum: string; id: string; slug: string } }>('/f/:forum/:id/:slug', showPost);

  app.post<{ Params: { forum: string; id: string } }>('/f/:forum/:id/vote', (request, reply) => {
    const user = requireUser(request, reply);
    if (!user) return reply;
    const post = findPost(request.params.forum, request.params.id);
    if (!post) return notFound(request, reply, `Submission ${request.params.id}`);
    store.vote(post.id, user, parseForm('vote', voteForm, request.body).direction === 'up' ? 1 : -1);
    return reply.redirect(postPath(post), 303);
  });

  app.post<{ Params: { forum: string; id: string } }>('/f/:forum/:id/comment', (request, reply) => {
    const user = requireUser(request, reply);
    if (!user) return reply;
    const post = findPost(request.params.forum, request.params.id);
    if (!post) return notFound(request, reply, `Submission ${request.params.id}`);
    store.addComment({ postId: post.id, author: user, body: parseForm('comment', commentForm, request.body).body });
    return reply.redirect(postPath(post), 303);
  });

  app.get<{ Params: { forum: string; id: string; slug: string } }>('/f/:forum/:id/:slug/edit', (request, reply) => {
    const user = requireUser(request, reply);
    if (!user) return reply;
    const post = findPost(request.params.forum, request.params.id);
    if (!post) return notFound(request, reply, `Submission ${request.params.id}`);
    if (post.author !== user) return page(request, reply, 'Forbidden', messageMain('Forbidden', 'You can only edit your own posts.'), 403);
    return page(request, reply, 'Edit submission', html`<h1>Edit submission</h1>
<form method="post" action="${postPath(post)}/edit"><label for="title">Title</label><input id="title" name="title" value="${post.title}">
<label for="body">Body</label><textarea id="body" name="body">${post.body}</textarea><button type="submit">Save changes</button></form>`);
  });

  app.post<{ Params: { forum: string; id: string; slug: string } }>('/f/:forum/:id/:slug/edit', (request, reply) => {
    const user = requireUser(request, reply);
    if (!user) return reply;
    const post = findPost(request.params.forum, request.params.id);
    if (!post) return notFound(request, reply, `Submission ${request.params.id}`);
    if (post.author !== user) return page(request, reply, 'Forbidden', messageMain('Forbidden', 'You can only edit your own posts.'), 403);
    const form = parseForm('edit submission', editPostForm, request.body);
    post.title = form.title;
    post.body = form.body;
    return reply.redirect(postPath(post), 303);
  });

  app.get<{ Querystring: { forum?: string } }>('/submit', (request, reply) => {
    const user = requireUser(request, reply);
    if (!user) return reply;
    const chosen = request.query.forum ?? '';
    return page(request, reply, 'Create submission', html`<h1>Create submission</h1>
<form method="post" action="/submit"><label for="title">Title</label><input id="title" name="title">
<label for="body">Body</label><textarea id="body" name="body"></textarea>
<label for="forum">Forum</label><select id="forum" name="forum"><option value="">Choose one</option>${store.state.forums.map((forum) => html`<option value="${forum.name}" ${forum.name === chosen ? 'selected' : ''}>${forum.name}</option>`)}</select>
<button type="submit">Create submission</button></form>`);
  });

  app.post('/submit', (request, reply) => {
    const user = requireUser(request, reply);
    if (!user) return reply;
    const form = parseForm('submission', postForm, request.body);
    if (!store.state.forums.some((forum) => forum.name === form.forum)) {
      return page(request, reply, 'Create submission', messageMain('Create submission', `Forum ${form.forum} does not exist.`), 400);
    }
    const post = store.createPost({ forum: form.forum, author: user, title: form.title, body: form.body });
    return reply.redirect(postPath(post), 303);
  });

  app.get<{ Params: { name: string } }>('/user/:name', (request, reply) => {
    const profile = store.state.users.find((user) => user.username.toLowerCase() === request.params.name.toLowerCase());
    if (!profile) return notFound(request, reply, `User ${request.params.name}`);
    const posts = sortPosts(store.state.posts.filter((post) => post.author === profile.username), 'new');
    const comments = store.state.comments.filter((comment) => comment.author === profile.username);
    return page(request, reply, profile.username, html`<h1>${profile.username}</h1>
<section aria-labelledby="bio"><h2 id="bio">Biography</h2><p class="user-bio__biography">${profile.bio}</p>
${sessions.current(request) === profile.username ? html`<p><a href="/user/${profile.username}/edit_biography">Edit biography</a></p>` : ''}</section>
<section aria-labelledby="user-posts"><h2 id="user-posts">Submissions (${posts.length})</h2>${postList(posts)}</section>
<section aria-labelledby="user-comments"><h2 id="user-comments">Comments (${comments.length})</h2><ul>${comments.map((comment) => {
      const post = store.postById(comment.postId);
      return html`<li>${comment.body} — on <a href="${post ? postPath(post) : '/'}">${post?.title ?? 'a deleted post'}</a></li>`;
    })}</ul></section>`);
  });

  app.get<{ Params: { name: string } }>('/user/:name/edit_biography', (request, reply) => {
    const user = requireUser(request, reply);
    if (!user) return reply;
    if (user !== request.params.name) return page(request, reply, 'Forbidden', messageMain('Forbidden', 'You can only edit your own biography.'), 403);
    const profile = store.state.users.find((candidate) => candidate.username === user);
    return page(request, reply, 'Edit biography', html`<h1>Edit biography</h1>
<form method="post" action="/user/${user}/edit_biography"><label for="biography">Biography</label><textarea id="biography" name="biography">${profile?.bio ?? ''}</textarea><button type="submit">Save</button></form>`);
  });

  app.post<{ Params: { name: string } }>('/user/:name/edit_biography', (request, reply) => {
    const user = requireUser(request, reply);
    if (!user) return reply;
    const profile = store.state.users.find((candidate) => candidate.username === user);
    if (!profile || user !== request.params.name) return page(request, reply, 'Forbidden', messageMain('Forbidden', 'You can only edit your own biography.'), 403);
    profile.bio = parseForm('biography', bioForm, request.body).biography;
    return reply.redirect(`/user/${user}`, 303);
  });

  app.get<{ Querystring: { referer?: string } }>(LOGIN_PATH, (request, reply) =>
    page(request, reply, 'Log in', html`<h1>Log in</h1>
<form method="post" action="${LOGIN_PATH}"><input type="hidden" name="referer" value="${safeReturnPath(request.query.referer)}">
<label for="login-username">Username</label><input id="login-username" name="_username" autocomplete="username">
<label for="login-password">Password</label><input id="login-password" name="_password" type="password" autocomplete="current-password">
<button type="submit">Log in</button></form>`));

  app.post(LOGIN_PATH, (request, reply) => {
    const form = parseForm('login', loginForm, request.body);
    const user = store.state.users.find((candidate) => candidate.username === form._username && candidate.password === form._password);
    if (!user) return page(request, reply, 'Log in', messageMain('Log in', 'Invalid credentials.'), 401);
    sessions.signIn(reply, user.username);
    return reply.redirect(safeReturnPath(form.referer), 303);
  });

  app.post('/logout', (request, reply) => {
    sessions.signOut(request, reply);
    return reply.redirect('/', 303);
  });
}

/** The forum (WebArena's "reddit", a Postmill instance there). */
export const redditSite: SiteDefinition = {
  name: 'reddit',
  placeholder: '__REDDIT__',
  defaultPort: 9999,
  login: { path: LOGIN_PATH, usernameField: '_username', passwordField: '_password', username: 'MarvelsGrantMan136', password: 'test1234' },
  registerRoutes: registerRedditRoutes,
};
