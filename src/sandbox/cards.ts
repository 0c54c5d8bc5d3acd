// The sandbox's cards: seeded from the spec's example card and the options, changed by PUTs and `setPin`.
import { exampleCard } from '../../generated/pin-examples.js';
import { noStoreJson } from '../core/answer.js';
import { ID_FIELDS, operationTable, type OperationId } from '../core/operations.js';
import { ruleMessage, type Rule, violation } from '../core/validate.js';
import { documentedAnswer, fieldError } from './documented.js';
import type { SandboxCard } from './types.js';

const pinRule: Rule = operationTable.updatePin.input.properties!.pin!;

/** A random PIN of the spec's length (its pattern is that many ASCII digits; a test checks the result against it). */
const randomPin = (digits = pinRule.maxLength!) =>
  String(Math.floor(Math.random() * 10 ** digits)).padStart(digits, '0');

/** Refuses a PIN that breaks the spec's PIN rule, naming the rule and never the PIN. */
export function checkPin(pin: string | null, where: string) {
  if (pin === null) return;
  const broken = violation(pin, pinRule);
  if (broken) throw fieldError(TypeError, `${where}: ${ruleMessage('pin', broken[1], broken[2])}`, 'pin');
}

/** The spec's example card first, then the option's cards, each checked: ids present, PIN within the rule. */
export function seedCards(cards: SandboxCard[] = []): SandboxCard[] {
  const seeds: SandboxCard[] = [{ ...exampleCard }, ...cards];
  for (const card of seeds) {
    for (const key of ID_FIELDS) {
      if (typeof card[key] !== 'string' || !card[key]) {
        throw fieldError(TypeError, `createPinSandbox: cards[].${key} is required`, `cards[].${key}`);
      }
    }
    checkPin(card.pin ?? null, 'createPinSandbox');
  }
  return seeds;
}

/** The cards by id, as fresh copies of the seeds. */
export const cardsFrom = (seeds: SandboxCard[]) =>
  new Map(seeds.map((card) => [card.cardId, { ...card, pin: card.pin ?? null }]));

/** A valid request applied to the cards: the reveal, or the change (a random PIN when none is given). */
export function runOperation(
  cards: Map<string, SandboxCard>,
  operation: OperationId,
  input: Record<string, unknown>,
): Response {
  const card = cards.get(input.cardId as string);
  if (!card || card.accountId !== input.accountId || card.personId !== input.personId) {
    return documentedAnswer(operation, 404);
  }
  if (operation === 'getPin') return noStoreJson(200, { pin: card.pin ?? null });
  card.pin = typeof input.pin === 'string' ? input.pin : randomPin();
  return noStoreJson(200, { success: true, pin: card.pin });
}
