import { createForumSeed, type Comment, type ForumState, type Post } from './forum-seed';
import { SIMULATED_TODAY } from './commerce-store';

export type PostSort = 'hot' | 'new' | 'top';

/** A post's score: seeded votes plus the accounts' votes. */
export function postScore(post: Post): number {
  let score = post.baseScore;
  for (const vote of post.votes.values()) score += vote;
  return score;
}

/** "Hot" weighs score against age, relative to the simulated today so the order is reproducible. */
function hotness(post: Post): number {
  const ageDays = (Date.parse(`${SIMULATED_TODAY}T00:00:00Z`) - Date.parse(post.createdAt)) / 86_400_000;
  return (postScore(post) + 1) / Math.pow(Math.max(ageDays, 0) + 2, 0.8);
}

/** Sorts posts for a listing; ties broken by id so the order is stable. */
export function sortPosts(posts: Post[], sort: PostSort): Post[] {
  const key = sort === 'new' ? (post: Post) => Date.parse(post.createdAt) : sort === 'top' ? postScore : hotness;
  return [...posts].sort((a, b) => key(b) - key(a) || b.id - a.id);
}

/** The forum's in-memory data; reset() rebuilds the seed. */
export class ForumStore {
  state: ForumState = createForumSeed();

  reset(): void {
    this.state = createForumSeed();
  }

  postById(id: number): Post | undefined {
    return this.state.posts.find((post) => post.id === id);
  }

  postsInForum(forum: string, sort: PostSort): Post[] {
    return sortPosts(this.state.posts.filter((post) => post.forum === forum), sort);
  }

  commentsOf(postId: number): Comment[] {
    return this.state.comments.filter((comment) => comment.postId === postId);
  }

  /** Applies a vote; voting the same way twice withdraws it (as on the real forum). */
  vote(postId: number, username: string, direction: 1 | -1): void {
    const post = this.postById(postId);
    if (!post) return;
    if (post.votes.get(username) === direction) post.votes.delete(username);
    else post.votes.set(username, direction);
  }

  createPost(input: { forum: string; author: string; title: string; body: string }): Post {
    const id = Math.max(0, ...this.state.posts.map((post) => post.id)) + 1;
    const post: Post = {
      id,
      ...input,
      slug: input.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'post',
      createdAt: `${SIMULATED_TODAY}T12:00:00.000Z`,
      baseScore: 0,
      votes: new Map([[input.author, 1]]),
    };
    this.state.posts.push(post);
    return post;
  }

  addComment(input: { postId: number; author: string; body: string }): Comment {
    const comment: Comment = {
      id: Math.max(0, ...this.state.comments.map((existing) => existing.id)) + 1,
      ...input,
      createdAt: `${SIMULATED_TODAY}T12:00:00.000Z`,
    };
    this.state.comments.push(comment);
    return comment;
  }
}
