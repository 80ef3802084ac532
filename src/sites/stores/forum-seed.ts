import { createSeededRandom, pick } from '../seeded-random';

export interface Forum {
  name: string;
  title: string;
  description: string;
}

export interface ForumUser {
  username: string;
  password: string;
  bio: string;
}

export interface Post {
  id: number;
  forum: string;
  author: string;
  title: string;
  slug: string;
  body: string;
  /** ISO timestamp. */
  createdAt: string;
  /** Net votes from people outside the seeded accounts. */
  baseScore: number;
  /** username -> +1 / -1 */
  votes: Map<string, 1 | -1>;
}

export interface Comment {
  id: number;
  postId: number;
  author: string;
  body: string;
  createdAt: string;
}

export interface ForumState {
  forums: Forum[];
  users: ForumUser[];
  posts: Post[];
  comments: Comment[];
}

const FORUMS: Forum[] = [
  { name: 'gaming', title: 'Gaming', description: 'News and discussion about games on every platform.' },
  { name: 'videogames', title: 'Video Games', description: 'Reviews, screenshots and recommendations for video games.' },
  { name: 'books', title: 'Books', description: 'What are you reading? Reviews and recommendations.' },
  { name: 'cooking', title: 'Cooking', description: 'Techniques, kitchen tools and questions about home cooking.' },
  { name: 'recipes', title: 'Recipes', description: 'Share recipes that worked for you.' },
  { name: 'running', title: 'Running', description: 'Training plans, races and running gear.' },
  { name: 'space', title: 'Space', description: 'Astronomy, rockets and space exploration news.' },
  { name: 'coffee', title: 'Coffee', description: 'Brewing methods, beans and grinders.' },
  { name: 'diy', title: 'DIY', description: 'Home improvement and building things yourself.' },
  { name: 'movies', title: 'Movies', description: 'Film news, trailers and reviews.' },
];

const USERS: ForumUser[] = [
  { username: 'MarvelsGrantMan136', password: 'test1234', bio: 'Just here for the comments.' },
  { username: 'pixel_pioneer', password: 'test1234', bio: 'Speedrunner and retro collector.' },
  { username: 'bookworm_ana', password: 'test1234', bio: 'Fantasy and history books, mostly.' },
  { username: 'chef_marco', password: 'test1234', bio: 'Line cook turned home baker.' },
  { username: 'trail_tess', password: 'test1234', bio: 'Ultra runner from Colorado.' },
  { username: 'orbit_oscar', password: 'test1234', bio: 'Amateur astronomer with a 6 inch dobsonian.' },
  { username: 'bean_counter', password: 'test1234', bio: 'Espresso nerd.' },
  { username: 'handy_hank', password: 'test1234', bio: 'Weekend woodworker.' },
  { username: 'reel_rita', password: 'test1234', bio: 'I watch a film a day.' },
  { username: 'quiet_quokka', password: 'test1234', bio: 'Mostly lurking.' },
];

/** [forum, author, title, body] */
const POST_ROWS: Array<[string, string, string, string]> = [
  ['gaming', 'pixel_pioneer', 'What is the best co-op game of the year so far', 'Looking for something to play with my partner on weekends.'],
  ['gaming', 'quiet_quokka', 'Kart Rally Deluxe is still the best party game', 'Four players, one couch, endless arguments.'],
  ['gaming', 'pixel_pioneer', 'My retro console collection after ten years', 'Finally finished the shelf for all of them.'],
  ['gaming', 'MarvelsGrantMan136', 'Is the Northlight controller worth it', 'My old pad has stick drift and I am thinking about switching.'],
  ['gaming', 'reel_rita', 'Games with the best soundtracks', 'I keep the Starfall Odyssey soundtrack on repeat.'],
  ['videogames', 'pixel_pioneer', 'Starfall Odyssey review after 40 hours', 'Huge world, weak story, fantastic music.'],
  ['videogames', 'quiet_quokka', 'Dungeon Builders co-op impressions', 'Better with friends than alone.'],
  ['videogames', 'handy_hank', 'Screenshots from my dungeon base', 'Took me a whole weekend to build the lava moat.'],
  ['videogames', 'trail_tess', 'Recommend a relaxing game for after work', 'Nothing competitive please.'],
  ['books', 'bookworm_ana', 'Books that changed how you think', 'For me it was a history of the printing press.'],
  ['books', 'bookworm_ana', 'Fantasy series with a satisfying ending', 'Tired of series that never finish.'],
  ['books', 'reel_rita', 'Which book adaptations are better than the book', 'I think there are at least three.'],
  ['books', 'quiet_quokka', 'How many books did you read last year', 'I managed 23, aiming for 30.'],
  ['books', 'orbit_oscar', 'Best popular science books about space', 'Looking for something readable on a plane.'],
  ['cooking', 'chef_marco', 'Cast iron care mistakes to avoid', 'Never let it soak in the sink overnight.'],
  ['cooking', 'chef_marco', 'Is an air fryer worth the counter space', 'Mine gets used every day for vegetables.'],
  ['cooking', 'MarvelsGrantMan136', 'Help my bread is always dense', 'I follow the recipe but it never rises enough.'],
  ['cooking', 'handy_hank', 'Knife sharpening for beginners', 'Whetstone or pull-through sharpener?'],
  ['recipes', 'chef_marco', 'Weeknight lemon garlic pasta', 'Twenty minutes, one pot, lots of parmesan.'],
  ['recipes', 'bean_counter', 'Coffee rubbed steak', 'Finely ground dark roast, brown sugar and chili.'],
  ['recipes', 'trail_tess', 'Overnight oats for long runs', 'Oats, yogurt, banana and a spoon of peanut butter.'],
  ['recipes', 'chef_marco', 'Simple sourdough schedule', 'Feed at night, mix in the morning, bake the next day.'],
  ['running', 'trail_tess', 'First ultra marathon race report', '50 kilometres of mud and I loved every minute.'],
  ['running', 'trail_tess', 'Stridex Trail Runner 4 after 500 miles', 'The outsole is holding up better than expected.'],
  ['running', 'quiet_quokka', 'How do you stay motivated in winter', 'Dark mornings are killing my streak.'],
  ['running', 'MarvelsGrantMan136', 'Couch to 5k week 6 check in', 'Ran 20 minutes without stopping today.'],
  ['running', 'reel_rita', 'Are carbon plated shoes worth it for casual runners', 'They cost a fortune.'],
  ['space', 'orbit_oscar', 'Saw Saturn through my telescope last night', 'The rings were clearly visible even from the city.'],
  ['space', 'orbit_oscar', 'Meteor shower viewing tips', 'Get away from the lights and give your eyes 20 minutes.'],
  ['space', 'bookworm_ana', 'Why is the far side of the moon so different', 'Fewer maria and a thicker crust.'],
  ['space', 'pixel_pioneer', 'Rocket landing footage compilation', 'Still amazing every single time.'],
  ['space', 'quiet_quokka', 'What would you name a new planet', 'Mine would be Quokka Prime.'],
  ['coffee', 'bean_counter', 'Burr grinder recommendations under 100 dollars', 'The Morrow grinder has been great for pour over.'],
  ['coffee', 'bean_counter', 'Dialing in espresso with a new roast', 'Finer grind, longer pre-infusion.'],
  ['coffee', 'chef_marco', 'Pour over versus french press', 'Clarity versus body, pick one.'],
  ['coffee', 'MarvelsGrantMan136', 'Favorite whole bean espresso roast', 'I keep going back to the Morrow espresso roast.'],
  ['diy', 'handy_hank', 'Built a workbench from reclaimed wood', 'Took three weekends and a lot of sanding.'],
  ['diy', 'handy_hank', 'How to fix a squeaky door hinge', 'A bit of soap works if you have no oil.'],
  ['diy', 'quiet_quokka', 'Painting kitchen cabinets tips', 'Degrease, sand, prime, then two thin coats.'],
  ['diy', 'trail_tess', 'Making a gear wall for running kit', 'Pegboard and hooks, under 40 dollars.'],
  ['movies', 'reel_rita', 'Underrated science fiction films', 'Moon and Primer deserve more love.'],
  ['movies', 'reel_rita', 'Best movie scores of the decade', 'Hard to beat a good synth soundtrack.'],
  ['movies', 'bookworm_ana', 'Films that respect the source novel', 'Very few, but they exist.'],
  ['movies', 'orbit_oscar', 'Most realistic space movie', 'Physics nerds, what do you think?'],
  ['movies', 'pixel_pioneer', 'Video game movies that were actually good', 'The list is short.'],
];

const COMMENT_TEXTS = [
  'Totally agree with this.',
  'I had the same experience.',
  'Thanks for sharing, this helped a lot.',
  'Not sure I agree, but interesting point.',
  'Can you post an update later?',
  'This is the way.',
  'Saving this for later.',
  'Great write-up.',
];

function slugify(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Builds the forum's seed state; the same every time (fixed seed). */
export function createForumSeed(): ForumState {
  const random = createSeededRandom(1357);
  const posts: Post[] = POST_ROWS.map(([forum, author, title, body], index) => ({
    id: index + 1,
    forum,
    author,
    title,
    slug: slugify(title),
    body,
    createdAt: new Date(Date.UTC(2023, 0, 1) + index * 3 * 86_400_000 + (index % 5) * 3_600_000).toISOString(),
    // Distinct scores so "top" has no ties.
    baseScore: ((index * 37) % 97) + index % 3,
    votes: new Map(),
  }));
  const comments: Comment[] = [];
  for (const post of posts) {
    const count = (post.id * 5) % 7;
    for (let n = 0; n < count; n += 1) {
      const author = pick(random, USERS).username;
      comments.push({
        id: comments.length + 1,
        postId: post.id,
        author,
        body: pick(random, COMMENT_TEXTS),
        createdAt: new Date(Date.parse(post.createdAt) + (n + 1) * 3_600_000).toISOString(),
      });
    }
  }
  return {
    forums: FORUMS.map((forum) => ({ ...forum })),
    users: USERS.map((user) => ({ ...user })),
    posts,
    comments,
  };
}
