import { CommerceStore } from './commerce-store';
import { ForumStore } from './forum-store';

/** The data behind the built-in sites; several sites may share one store (the shop and its admin). */
export interface DataStores {
  commerce: CommerceStore;
  forum: ForumStore;
}

/** Fresh stores holding the seed state. */
export function createDataStores(): DataStores {
  return { commerce: new CommerceStore(), forum: new ForumStore() };
}

/** Restores every store to the seed state. */
export function resetDataStores(stores: DataStores): void {
  stores.commerce.reset();
  stores.forum.reset();
}
