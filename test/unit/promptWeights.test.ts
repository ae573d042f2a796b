import * as assert from 'node:assert/strict';
import { loraTag, nudgeWeight } from '../../src/shared/promptWeights';

/** `|` marks the cursor, `[…]` a selection; the result is written the same way. */
function nudge(marked: string, delta: number): string {
  const start = marked.includes('[') ? marked.indexOf('[') : marked.indexOf('|');
  const text = marked.replace(/[[\]|]/g, '');
  const end = marked.includes('[') ? marked.indexOf(']') - 1 : start;
  const edit = nudgeWeight(text, start, end, delta);
  if (!edit) return 'unchanged';
  return `${edit.text.slice(0, edit.start)}[${edit.text.slice(edit.start, edit.end)}]${edit.text.slice(edit.end)}`;
}

describe('prompt weights: Ctrl/Cmd+Up/Down as in the A1111 web UI (shared/promptWeights.ts)', () => {
  it('wraps the word under the cursor, or the selection, with a weight', () => {
    assert.equal(nudge('a red f|ox, snow', 0.1), 'a red ([fox]:1.1), snow');
    assert.equal(nudge('a [red fox], snow', -0.1), 'a ([red fox]:0.9), snow');
  });

  it('moves an existing weight, and drops the brackets when it is back at 1', () => {
    assert.equal(nudge('a (red f|ox:1.1), snow', 0.1), 'a ([red fox]:1.2), snow');
    assert.equal(nudge('a ([red fox]:1.1), snow', -0.1), 'a [red fox], snow');
    assert.equal(nudge('(snow:0.3|)', -0.1), '([snow]:0.2)');
  });

  it("moves a LoRA's own weight in place", () => {
    assert.equal(nudge('icon, <lora:flat|icons:0.8>', 0.1), 'icon, <lora:[flaticons]:0.9>');
    assert.equal(nudge('<lora:pixel:1|>', -0.1), '<lora:[pixel]:0.9>');
  });

  it('leaves text without a word at the cursor alone', () => {
    assert.equal(nudge('a, | , b', 0.1), 'unchanged');
  });

  it('writes a picked LoRA by its alias', () => {
    assert.equal(loraTag({ name: 'flat_icons_v2', alias: 'flaticons' }, 0.75), '<lora:flaticons:0.75>');
    assert.equal(loraTag({ name: 'add_detail' }, 1), '<lora:add_detail:1>');
  });
});
