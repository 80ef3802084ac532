import { createCommerceSeed, type CommerceState, type Customer, type Order, type Product, type Review } from './commerce-seed';

/** The simulated "today" of the built-in sites, so new records get reproducible dates. */
export const SIMULATED_TODAY = '2023-07-01';

/** Formats cents as a dollar amount, e.g. 123456 -> "$1,234.56". */
export function formatPrice(cents: number): string {
  return `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Sum of an order's lines, in cents. */
export function orderSubtotalCents(order: Order): number {
  return order.items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0);
}

/** What the customer paid: lines plus shipping, in cents. */
export function orderTotalCents(order: Order): number {
  return orderSubtotalCents(order) + order.shippingCents;
}

/** "2023-03-15" -> "Mar 15, 2023" (how the sites print dates). */
export function formatDate(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  return date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}

/** "2023-03" -> "March 2023". */
export function formatMonth(month: string): string {
  return new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** The shop's in-memory data, shared by the storefront and the back office; reset() rebuilds the seed. */
export class CommerceStore {
  state: CommerceState = createCommerceSeed();

  reset(): void {
    this.state = createCommerceSeed();
  }

  productBySlug(slug: string): Product | undefined {
    return this.state.products.find((product) => product.slug === slug);
  }

  productById(id: number): Product | undefined {
    return this.state.products.find((product) => product.id === id);
  }

  productBySku(sku: string): Product | undefined {
    return this.state.products.find((product) => product.sku.toLowerCase() === sku.toLowerCase());
  }

  /** Products a shopper can see (enabled) in a category, in catalogue order. */
  visibleProductsInCategory(categorySlug: string): Product[] {
    return this.state.products.filter((product) => product.enabled && product.categorySlug === categorySlug);
  }

  /** Enabled products whose name, brand or SKU contains every word of the query. */
  searchProducts(query: string): Product[] {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    return this.state.products.filter((product) => {
      const haystack = `${product.name} ${product.brand} ${product.sku}`.toLowerCase();
      return product.enabled && words.every((word) => haystack.includes(word));
    });
  }

  /** Published reviews of a product, newest first. */
  publishedReviews(productId: number): Review[] {
    return this.state.reviews
      .filter((review) => review.productId === productId && review.status === 'approved')
      .sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id);
  }

  /** Average star rating of the published reviews, or null when there are none. */
  averageRating(productId: number): number | null {
    const reviews = this.publishedReviews(productId);
    if (reviews.length === 0) return null;
    return reviews.reduce((sum, review) => sum + review.rating, 0) / reviews.length;
  }

  customerById(id: number): Customer | undefined {
    return this.state.customers.find((customer) => customer.id === id);
  }

  customerByEmail(email: string): Customer | undefined {
    return this.state.customers.find((customer) => customer.email.toLowerCase() === email.trim().toLowerCase());
  }

  orderById(id: number): Order | undefined {
    return this.state.orders.find((order) => order.id === id);
  }

  /** A customer's orders, newest first. */
  ordersOfCustomer(customerId: number): Order[] {
    return this.state.orders.filter((order) => order.customerId === customerId).sort((a, b) => b.id - a.id);
  }

  /** Units sold per product in a year (canceled orders excluded), best first; ties broken by name. */
  bestsellers(year: number): Array<{ product: Product; units: number }> {
    const units = new Map<number, number>();
    for (const order of this.state.orders) {
      if (order.status === 'canceled' || !order.date.startsWith(String(year))) continue;
      for (const item of order.items) units.set(item.productId, (units.get(item.productId) ?? 0) + item.quantity);
    }
    return [...units.entries()]
      .map(([productId, count]) => ({ product: this.productById(productId), units: count }))
      .filter((row): row is { product: Product; units: number } => row.product !== undefined)
      .sort((a, b) => b.units - a.units || a.product.name.localeCompare(b.product.name));
  }

  /** Order count and revenue (grand totals, canceled excluded) per month, "YYYY-MM" ascending. */
  salesByMonth(): Array<{ month: string; orders: number; revenueCents: number }> {
    const months = new Map<string, { orders: number; revenueCents: number }>();
    for (const order of this.state.orders) {
      if (order.status === 'canceled') continue;
      const month = order.date.slice(0, 7);
      const row = months.get(month) ?? { orders: 0, revenueCents: 0 };
      row.orders += 1;
      row.revenueCents += orderTotalCents(order);
      months.set(month, row);
    }
    return [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, row]) => ({ month, ...row }));
  }

  /** Products with fewer than `threshold` units in stock. */
  lowStock(threshold = 10): Product[] {
    return this.state.products.filter((product) => product.quantity < threshold);
  }

  cartOf(customerId: number): Array<{ product: Product; quantity: number }> {
    return (this.state.carts.get(customerId) ?? []).flatMap((line) => {
      const product = this.productById(line.productId);
      return product ? [{ product, quantity: line.quantity }] : [];
    });
  }

  addToCart(customerId: number, productId: number, quantity: number): void {
    const lines = this.state.carts.get(customerId) ?? [];
    const existing = lines.find((line) => line.productId === productId);
    if (existing) existing.quantity += quantity;
    else lines.push({ productId, quantity });
    this.state.carts.set(customerId, lines);
  }

  removeFromCart(customerId: number, productId: number): void {
    const lines = (this.state.carts.get(customerId) ?? []).filter((line) => line.productId !== productId);
    this.state.carts.set(customerId, lines);
  }

  /** Turns the customer's cart into a pending order; returns it, or null if the cart is empty. */
  placeOrder(customerId: number): Order | null {
    const lines = this.cartOf(customerId);
    if (lines.length === 0) return null;
    const id = Math.max(0, ...this.state.orders.map((order) => order.id)) + 1;
    const order: Order = {
      id,
      number: String(100 + id).padStart(9, '0'),
      customerId,
      date: SIMULATED_TODAY,
      status: 'pending',
      items: lines.map(({ product, quantity }) => ({ productId: product.id, sku: product.sku, name: product.name, priceCents: product.priceCents, quantity })),
      shippingCents: 500,
    };
    for (const { product, quantity } of lines) product.quantity = Math.max(0, product.quantity - quantity);
    this.state.orders.push(order);
    this.state.carts.set(customerId, []);
    return order;
  }

  /** Adds a customer's review; it is published at once (the seeded pending ones model moderation). */
  addReview(input: { productId: number; nickname: string; rating: number; title: string; text: string }): Review {
    const review: Review = {
      id: Math.max(0, ...this.state.reviews.map((existing) => existing.id)) + 1,
      ...input,
      date: SIMULATED_TODAY,
      status: 'approved',
    };
    this.state.reviews.push(review);
    return review;
  }
}
