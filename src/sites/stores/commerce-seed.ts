import { createSeededRandom, pick } from '../seeded-random';

/** Prices are held in cents so sums stay exact. */
export interface Product {
  id: number;
  sku: string;
  name: string;
  slug: string;
  categorySlug: string;
  brand: string;
  priceCents: number;
  quantity: number;
  enabled: boolean;
  description: string;
}

export interface Category {
  slug: string;
  name: string;
}

export interface Review {
  id: number;
  productId: number;
  nickname: string;
  /** 1..5 stars. */
  rating: number;
  title: string;
  text: string;
  /** ISO date (YYYY-MM-DD). */
  date: string;
  status: 'approved' | 'pending';
}

export interface Customer {
  id: number;
  firstname: string;
  lastname: string;
  email: string;
  password: string;
  street: string;
  city: string;
  region: string;
  postcode: string;
  phone: string;
}

export interface OrderItem {
  productId: number;
  sku: string;
  name: string;
  priceCents: number;
  quantity: number;
}

export type OrderStatus = 'pending' | 'processing' | 'complete' | 'canceled';

export interface Order {
  id: number;
  /** The number customers see, e.g. 000000104. */
  number: string;
  customerId: number;
  date: string;
  status: OrderStatus;
  items: OrderItem[];
  shippingCents: number;
}

export interface AdminUser {
  username: string;
  password: string;
  name: string;
}

/** Everything the shop and its back office know. */
export interface CommerceState {
  categories: Category[];
  products: Product[];
  reviews: Review[];
  customers: Customer[];
  orders: Order[];
  /** customerId -> cart lines. */
  carts: Map<number, Array<{ productId: number; quantity: number }>>;
  admins: AdminUser[];
}

export const SHIPPING_CENTS = 500;

const CATEGORIES: Category[] = [
  { slug: 'home-audio', name: 'Home Audio' },
  { slug: 'kitchen-appliances', name: 'Kitchen Appliances' },
  { slug: 'office-chairs', name: 'Office Chairs' },
  { slug: 'running-shoes', name: 'Running Shoes' },
  { slug: 'coffee-and-tea', name: 'Coffee and Tea' },
  { slug: 'video-games', name: 'Video Games' },
  { slug: 'camping-gear', name: 'Camping Gear' },
  { slug: 'skin-care', name: 'Skin Care' },
];

/** [category, brand, name, price in dollars, description] */
const PRODUCT_ROWS: Array<[string, string, string, number, string]> = [
  ['home-audio', 'Sonora', 'Sonora Mini Wireless Bluetooth Speaker', 29.99, 'A pocket speaker with 12 hours of battery and a splash-proof shell.'],
  ['home-audio', 'Sonora', 'Sonora Soundbar 300', 149.0, 'A slim soundbar with a built-in subwoofer and HDMI input.'],
  ['home-audio', 'Veltro', 'Veltro Bookshelf Speakers Pair', 89.5, 'Two passive bookshelf speakers with walnut veneer cabinets.'],
  ['home-audio', 'Veltro', 'Veltro Turntable TX-2', 219.99, 'A belt-drive record player with a built-in phono preamp.'],
  ['home-audio', 'Aurel', 'Aurel Noise Cancelling Headphones', 179.0, 'Over-ear headphones with active noise cancelling and a 30 hour battery.'],
  ['kitchen-appliances', 'Brevo', 'Brevo Stainless Steel Electric Kettle', 34.95, 'A 1.7 litre kettle with automatic shut-off and a boil-dry guard.'],
  ['kitchen-appliances', 'Brevo', 'Brevo Two Slice Toaster', 27.49, 'A toaster with seven browning levels and a bagel setting.'],
  ['kitchen-appliances', 'Culina', 'Culina Stand Mixer 5 Quart', 259.0, 'A tilt-head stand mixer with a dough hook, whisk and flat beater.'],
  ['kitchen-appliances', 'Culina', 'Culina Air Fryer XL', 99.99, 'A 6 quart air fryer with eight presets and a dishwasher-safe basket.'],
  ['kitchen-appliances', 'Pressa', 'Pressa Cold Press Juicer', 139.0, 'A slow masticating juicer that keeps more nutrients in the juice.'],
  ['office-chairs', 'Ergonova', 'Ergonova Mesh Office Chair', 189.0, 'A breathable mesh chair with adjustable lumbar support.'],
  ['office-chairs', 'Ergonova', 'Ergonova Executive Leather Chair', 329.0, 'A high-back bonded leather chair with padded armrests.'],
  ['office-chairs', 'Sitwell', 'Sitwell Kneeling Chair', 119.5, 'A kneeling stool that encourages an upright posture.'],
  ['office-chairs', 'Sitwell', 'Sitwell Drafting Stool', 84.0, 'A tall drafting stool with a foot ring and gas lift.'],
  ['office-chairs', 'Ergonova', 'Ergonova Gaming Chair Pro', 249.99, 'A racing-style chair with a headrest pillow and 4D armrests.'],
  ['running-shoes', 'Stridex', 'Stridex Trail Runner 4', 129.95, 'A trail shoe with a rock plate and a grippy lugged outsole.'],
  ['running-shoes', 'Stridex', 'Stridex Road Glide', 109.0, 'A cushioned daily trainer for road running.'],
  ['running-shoes', 'Pacelite', 'Pacelite Racer Carbon', 219.0, 'A racing flat with a carbon plate for race day.'],
  ['running-shoes', 'Pacelite', 'Pacelite Everyday Trainer', 79.99, 'A light and affordable shoe for easy miles.'],
  ['running-shoes', 'Stridex', 'Stridex Kids Sprint', 44.5, 'A durable running shoe for kids with hook-and-loop straps.'],
  ['coffee-and-tea', 'Morrow', 'Morrow Whole Bean Espresso Roast 2 lb', 24.99, 'A dark roast with notes of cocoa and caramel.'],
  ['coffee-and-tea', 'Morrow', 'Morrow Pour Over Coffee Maker', 32.0, 'A glass pour-over carafe with a reusable steel filter.'],
  ['coffee-and-tea', 'Teavana Hills', 'Teavana Hills Jasmine Green Tea 100 Bags', 12.49, 'Green tea scented with jasmine blossoms.'],
  ['coffee-and-tea', 'Teavana Hills', 'Teavana Hills Earl Grey Loose Leaf', 15.75, 'A black tea blended with bergamot oil.'],
  ['coffee-and-tea', 'Morrow', 'Morrow Burr Coffee Grinder', 64.99, 'A conical burr grinder with 18 grind settings.'],
  ['video-games', 'Pixelforge', 'Starfall Odyssey for Switch', 59.99, 'An open-world space adventure for one player.'],
  ['video-games', 'Pixelforge', 'Kart Rally Deluxe for Switch', 49.99, 'A kart racing game for up to four players.'],
  ['video-games', 'Northlight', 'Northlight Wireless Controller', 54.0, 'A wireless controller with rumble and a rechargeable battery.'],
  ['video-games', 'Northlight', 'Northlight Switch Carrying Pouch', 19.99, 'A hard shell pouch with room for ten game cards.'],
  ['video-games', 'Pixelforge', 'Dungeon Builders for PS5', 39.99, 'A cooperative dungeon building game.'],
  ['camping-gear', 'Ridgeway', 'Ridgeway Two Person Backpacking Tent', 199.0, 'A freestanding tent that weighs under 2 kilograms.'],
  ['camping-gear', 'Ridgeway', 'Ridgeway Down Sleeping Bag 20F', 239.0, 'A mummy sleeping bag rated to 20 degrees Fahrenheit.'],
  ['camping-gear', 'Campfirely', 'Campfirely Folding Camp Chair', 39.95, 'A folding chair with a cup holder and a carry bag.'],
  ['camping-gear', 'Campfirely', 'Campfirely LED Lantern', 22.0, 'A rechargeable lantern with three brightness levels.'],
  ['camping-gear', 'Ridgeway', 'Ridgeway Insulated Water Bottle', 27.5, 'A vacuum insulated steel bottle that keeps drinks cold for 24 hours.'],
  ['skin-care', 'Lumea', 'Lumea Hydrating Face Cream', 28.0, 'A fragrance-free moisturizer with hyaluronic acid.'],
  ['skin-care', 'Lumea', 'Lumea Vitamin C Serum', 36.5, 'A brightening serum with 15 percent vitamin C.'],
  ['skin-care', 'Dermacare', 'Dermacare Mineral Sunscreen SPF 50', 18.99, 'A zinc oxide sunscreen for sensitive skin.'],
  ['skin-care', 'Dermacare', 'Dermacare Gentle Foaming Cleanser', 14.25, 'A soap-free cleanser for daily use.'],
  ['skin-care', 'Lumea', 'Lumea Makeup Removal Kit', 21.0, 'Reusable pads and a cleansing balm in a travel case.'],
];

const CUSTOMER_ROWS: Array<[string, string, string, string, string, string, string]> = [
  ['Emma', 'Lopez', '101 S San Mateo Dr', 'San Mateo', 'California', '94010', '6505551212'],
  ['Liam', 'Nguyen', '42 Harbor St', 'Boston', 'Massachusetts', '02110', '6175550101'],
  ['Olivia', 'Carter', '9 Elm Ave', 'Austin', 'Texas', '73301', '5125550145'],
  ['Noah', 'Patel', '77 Lake Shore Dr', 'Chicago', 'Illinois', '60601', '3125550190'],
  ['Ava', 'Kim', '15 Pine Rd', 'Seattle', 'Washington', '98101', '2065550133'],
  ['Ethan', 'Rossi', '300 Market St', 'Philadelphia', 'Pennsylvania', '19106', '2155550177'],
  ['Sophia', 'Young', '58 Beacon St', 'Denver', 'Colorado', '80202', '3035550166'],
  ['Mason', 'Schmidt', '11 Oak Ln', 'Portland', 'Oregon', '97201', '5035550122'],
  ['Isabella', 'Garcia', '720 Ocean Blvd', 'Miami', 'Florida', '33101', '3055550188'],
  ['Lucas', 'Dubois', '5 Maple Ct', 'Minneapolis', 'Minnesota', '55401', '6125550111'],
  ['Mia', 'Andersen', '88 Birch Way', 'Phoenix', 'Arizona', '85001', '6025550155'],
  ['James', 'Okafor', '230 Peachtree St', 'Atlanta', 'Georgia', '30303', '4045550199'],
];

const REVIEW_NICKNAMES = [
  'Jay', 'Mandy', 'Dan K', 'Priya', 'Greg', 'Hannah B', 'Omar', 'Lena', 'Chris P', 'Rosa', 'Tom W', 'Yuki',
  'Sam', 'Nadia', 'Victor', 'Beth', 'Arjun', 'Carla', 'Felix', 'Grace',
];
const REVIEW_TEXTS: Record<number, Array<[string, string]>> = {
  1: [['Broke quickly', 'Stopped working after two weeks and support never answered.'], ['Not as described', 'The product looks nothing like the photos.']],
  2: [['Disappointing', 'It works but feels cheap and the finish wore off fast.'], ['Meh', 'Expected more for the price.']],
  3: [['It is okay', 'Does the job, nothing special.'], ['Average', 'Fine for occasional use.']],
  4: [['Good value', 'Solid build and works as expected.'], ['Pretty good', 'Happy with it, minor quirks aside.']],
  5: [['Love it', 'Exceeded my expectations, would buy again.'], ['Excellent', 'Great quality and fast shipping.']],
};

function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Builds the shop's seed state; the same every time (fixed seed). */
export function createCommerceSeed(): CommerceState {
  const random = createSeededRandom(20230601);
  const products: Product[] = PRODUCT_ROWS.map(([categorySlug, brand, name, price, description], index) => ({
    id: index + 1,
    // ASIN-like SKUs (as in WebArena's shop): B0 + 8 base-36 characters derived from the id.
    sku: `B0${(Math.imul(index + 1, 2654435761) >>> 0).toString(36).toUpperCase().padStart(8, '0').slice(-8)}`,
    name,
    slug: slugify(name),
    categorySlug,
    brand,
    priceCents: Math.round(price * 100),
    // Every seventh product is nearly sold out (the low-stock report has rows); two are sold out.
    quantity: index === 5 || index === 18 ? 0 : index % 7 === 3 ? 2 + (index % 5) : 20 + Math.floor(random() * 180),
    enabled: true,
    description,
  }));

  const reviews: Review[] = [];
  for (const product of products) {
    const count = (product.id * 3) % 6; // 0..5 reviews, deterministic per product
    for (let n = 0; n < count; n += 1) {
      const rating = 1 + Math.floor(random() * 5);
      const [title, text] = pick(random, REVIEW_TEXTS[rating] ?? []);
      reviews.push({
        id: reviews.length + 1,
        productId: product.id,
        nickname: REVIEW_NICKNAMES[(product.id * 5 + n * 3) % REVIEW_NICKNAMES.length] ?? 'Anonymous',
        rating,
        title,
        text,
        // Later reviews of a product are newer, and no two reviews of a product share a date.
        date: isoDate(2022 + Math.floor(n / 3), 1 + ((n * 4 + product.id) % 12), 1 + ((product.id * 7 + n) % 27)),
        status: 'approved',
      });
    }
  }
  reviews.sort((a, b) => a.productId - b.productId || a.date.localeCompare(b.date));
  // Pending reviews waiting for moderation in the back office.
  const pendingAuthors = ['Kevin R', 'Marta', 'Joel', 'Tanya', 'Ibrahim', 'Quinn'];
  pendingAuthors.forEach((nickname, index) => {
    const productId = 1 + ((index * 7 + 2) % products.length);
    reviews.push({
      id: 0,
      productId,
      nickname,
      rating: 2 + (index % 4),
      title: index % 2 === 0 ? 'Waiting to be published' : 'First impressions',
      text: `Review ${index + 1} submitted by ${nickname} for moderation.`,
      date: isoDate(2023, 6, 10 + index),
      status: 'pending',
    });
  });
  reviews.forEach((review, index) => (review.id = index + 1));

  const customers: Customer[] = CUSTOMER_ROWS.map(([firstname, lastname, street, city, region, postcode, phone], index) => ({
    id: index + 1,
    firstname,
    lastname,
    email: `${firstname}.${lastname}@example.com`.toLowerCase(),
    password: 'Password.123',
    street,
    city,
    region,
    postcode,
    phone,
  }));

  const statuses: OrderStatus[] = ['complete', 'complete', 'processing', 'pending', 'canceled', 'complete'];
  const orders: Order[] = [];
  for (let index = 0; index < 48; index += 1) {
    const customer = customers[index % 3 === 0 ? 0 : index % customers.length] ?? customers[0];
    if (!customer) throw new Error('createCommerceSeed: no customers');
    const lineCount = 1 + Math.floor(random() * 3);
    const items: OrderItem[] = [];
    for (let line = 0; line < lineCount; line += 1) {
      const product = pick(random, products);
      if (items.some((item) => item.productId === product.id)) continue;
      items.push({ productId: product.id, sku: product.sku, name: product.name, priceCents: product.priceCents, quantity: 1 + Math.floor(random() * 3) });
    }
    orders.push({
      id: index + 1,
      number: String(100 + index + 1).padStart(9, '0'),
      customerId: customer.id,
      // Orders are in date order: later ids are later dates.
      date: isoDate(2022 + Math.floor(index / 24), 1 + Math.floor((index % 24) / 2), 3 + (index % 2) * 12),
      status: statuses[index % statuses.length] ?? 'complete',
      items,
      shippingCents: SHIPPING_CENTS,
    });
  }

  return {
    categories: CATEGORIES.map((category) => ({ ...category })),
    products,
    reviews,
    customers,
    orders,
    carts: new Map(),
    admins: [{ username: 'admin', password: 'admin1234', name: 'Store Administrator' }],
  };
}
