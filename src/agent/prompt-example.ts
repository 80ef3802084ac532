import { z } from 'zod';

/** One worked example shown to the model before the real task: a prompt block and a model reply. */
export const promptExampleSchema = z.strictObject({
  observation: z.string(),
  url: z.string(),
  objective: z.string(),
  previousAction: z.string(),
  response: z.string(),
});
export type PromptExample = z.infer<typeof promptExampleSchema>;

/** The two default examples (our own wording): answer a question from the page, and search by typing. */
export const DEFAULT_PROMPT_EXAMPLES: PromptExample[] = [
  {
    observation: [
      "[1744] link 'Lamp, brass, 40 cm'",
      "[1749] StaticText '$34.50'",
      "[1757] button 'Add to Cart'",
      "[1760] button 'Add to Wish List'",
      "[1761] button 'Add to Compare'",
    ].join('\n'),
    url: 'http://shop.example.com/lighting/lamp-brass-40.html',
    objective: 'How much does the brass lamp cost?',
    previousAction: 'None',
    response:
      'The page shows the product "Lamp, brass, 40 cm", and the text right after it gives its price, $34.50. ' +
      'That answers the question, so I can finish with this answer. In summary, the next action I will perform is ```stop [$34.50]```',
  },
  {
    observation: [
      "[164] textbox 'Search' focused: True required: False",
      "[171] button 'Go'",
      "[174] link 'Find directions between two points'",
      "[212] heading 'Search Results'",
      "[216] button 'Close'",
    ].join('\n'),
    url: 'http://maps.example.com',
    objective: 'Show me the restaurants near the city museum',
    previousAction: 'None',
    response:
      'I need to find restaurants near the city museum. There is a search box on the page, so I will type ' +
      '"restaurants near city museum" into it and press Enter to search. In summary, the next action I will perform is ' +
      '```type [164] [restaurants near city museum] [1]```',
  },
];
