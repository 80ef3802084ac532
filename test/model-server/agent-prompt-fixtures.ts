import type { ChatMessage } from '../../src/domain/trajectory';

/** A product of the synthetic shop pages used by these tests. */
export interface FixtureProduct {
  name: string;
  price: string;
  reviews: number;
}

export const FIXTURE_PRODUCTS: FixtureProduct[] = [
  { name: 'Sprite Yoga Ball', price: '$23.50', reviews: 4 },
  { name: 'Quest Lumaflex Band', price: '$19.00', reviews: 12 },
  { name: 'Zing Jump Rope', price: '$12.00', reviews: 2 },
  { name: 'Harmony Lumaflex Strength Band Kit', price: '$22.00', reviews: 7 },
  { name: 'Pursuit Lumaflex Tone Band', price: '$16.00', reviews: 3 },
  { name: 'Affirm Water Bottle', price: '$7.00', reviews: 9 },
  { name: 'Dual Handle Cardio Ball', price: '$12.00', reviews: 5 },
  { name: 'Go-Get-Em Fitness Kit', price: '$38.00', reviews: 1 },
];

/** The shop's home page: a search box and category links. */
export function homePage(): string {
  return [
    "Tab 0 (current): One Stop Market",
    '',
    "[1] RootWebArea 'One Stop Market' focused: True",
    "\t[20] link 'My Account'",
    "\t[21] link 'Sign Out'",
    "\t[30] searchbox 'Search' required: False",
    "\t[31] button 'Search'",
    "\t[40] link 'Fitness Equipment'",
    "\t[41] link 'Water Bottles'",
    "\t[42] link 'Reviews'",
    "\t[43] StaticText 'Welcome to One Stop Market'",
  ].join('\n');
}

/** A product page: name, price, review count, add to cart, a reviews tab. */
export function productPage(product: FixtureProduct, idBase = 100): string {
  return [
    `Tab 0 (current): ${product.name}`,
    '',
    `[${idBase}] RootWebArea '${product.name}' focused: True`,
    `\t[${idBase + 1}] link 'My Account'`,
    `\t[${idBase + 2}] searchbox 'Search' required: False`,
    `\t[${idBase + 3}] heading '${product.name}'`,
    `\t[${idBase + 4}] StaticText 'Price: ${product.price}'`,
    `\t[${idBase + 5}] link '${product.reviews} Reviews'`,
    `\t[${idBase + 6}] button 'Add to Cart'`,
    `\t[${idBase + 7}] link 'Add to Wish List'`,
    `\t[${idBase + 8}] link 'Compare'`,
    `\t[${idBase + 9}] StaticText 'In stock'`,
  ].join('\n');
}

/** The WebArena user turn. */
export function agentBlock(input: { observation: string; url: string; objective: string; previousAction?: string }): string {
  return `OBSERVATION:\n${input.observation}\nURL: ${input.url}\nOBJECTIVE: ${input.objective}\nPREVIOUS ACTION: ${input.previousAction ?? 'None'}`;
}

/** A whole agent prompt (short system text, then the block). */
export function agentMessages(input: { observation: string; url: string; objective: string; previousAction?: string }): ChatMessage[] {
  return [
    { role: 'system', content: 'You are an autonomous intelligent agent tasked with navigating a web browser. End with "In summary, the next action I will perform is" and the action in a ``` fence.' },
    { role: 'user', content: agentBlock(input) },
  ];
}

/** A demonstration line of a chat-format JSONL training file. */
export function trainingLine(messages: ChatMessage[], response: string): string {
  return JSON.stringify({ messages: [...messages, { role: 'assistant', content: response }] });
}

/** A response in the agent's format. */
export function agentResponse(reasoning: string, action: string): string {
  return `Let's think step-by-step. ${reasoning} In summary, the next action I will perform is \`\`\`${action}\`\`\``;
}
