// The local policy's "same element as the previous action" features compare the element, not just
// its id: observation ids number the elements of one observation, so [5] on the next page is another one.
import { describe, expect, it } from 'vitest';
import { parseObservation } from '../../src/model-server/accessibility-tree';
import { candidateActions } from '../../src/model-server/policy/candidate-actions';
import { buildPolicyContext } from '../../src/model-server/policy/policy-context';

function featuresOfClickOn(observationText: string, previousAction: string, elementId: string): string[] {
  const context = buildPolicyContext({ observationText, observation: parseObservation(observationText), url: 'http://shop.test/', objective: 'Open the orders page', previousAction });
  const click = candidateActions(context).find((candidate) => candidate.action.kind === 'click' && 'elementId' in candidate.action && candidate.action.elementId === elementId);
  expect(click, `a click candidate on [${elementId}]`).toBeDefined();
  return click!.features.map(([name]) => name);
}

const page = (line: string) => `Tab 0 (current): Shop\n\n[1] RootWebArea 'Shop' focused: True\n\t${line}\n\t[6] link 'Help'`;

describe('the previous-element features of the local policy', () => {
  it('fire for the element the previous action used (same id, role and name)', () => {
    expect(featuresOfClickOn(page("[5] link 'Orders'"), "click [5] where [5] is link 'Orders'", '5')).toContain('click|prev_same_element');
  });

  it('do not fire for another element that has the same id on the next page', () => {
    expect(featuresOfClickOn(page("[5] link 'Orders'"), "click [5] where [5] is link 'Catalogue'", '5')).not.toContain('click|prev_same_element');
  });
});
