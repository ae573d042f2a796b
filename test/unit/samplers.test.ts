import * as assert from 'node:assert/strict';
import { resolveSampler, type SamplerCatalog } from '../../src/sdapi/samplers';
import { SdApiError } from '../../src/sdapi/errors';

const sampler = (name: string) => ({ name, aliases: [name.toLowerCase().replace(/\W+/g, '_')] });
const split: SamplerCatalog = {
  samplers: ['DPM++ 2M', 'DPM++ 2M SDE', 'Euler a', 'Euler'].map(sampler),
  schedulers: [['automatic', 'Automatic'], ['karras', 'Karras'], ['sgm_uniform', 'SGM Uniform'], ['align_your_steps', 'Align Your Steps']].map(([name, label]) => ({ name, label })),
};
const combined: SamplerCatalog = { samplers: ['DPM++ 2M', 'DPM++ 2M Karras', 'Euler a', 'DPM++ 2M SDE Exponential'].map(sampler) };

describe('resolveSampler', () => {
  it('splits a combined name on servers with schedulers (A1111 1.9 rejects the old names)', () => {
    assert.deepEqual(resolveSampler({ sampler: 'DPM++ 2M Karras', scheduler: 'Automatic' }, split), { sampler_name: 'DPM++ 2M', scheduler: 'Karras' });
    assert.deepEqual(resolveSampler({ sampler: 'DPM++ 2M SDE Karras' }, split), { sampler_name: 'DPM++ 2M SDE', scheduler: 'Karras' });
    assert.deepEqual(resolveSampler({ sampler: 'Euler SGM Uniform' }, split), { sampler_name: 'Euler', scheduler: 'SGM Uniform' });
    assert.deepEqual(resolveSampler({ sampler: 'euler align_your_steps' }, split), { sampler_name: 'Euler', scheduler: 'Align Your Steps' });
  });

  it('sends the scheduler label, whatever spelling the user wrote', () => {
    assert.deepEqual(resolveSampler({ sampler: 'Euler a', scheduler: 'karras' }, split), { sampler_name: 'Euler a', scheduler: 'Karras' });
    assert.deepEqual(resolveSampler({ sampler: 'euler_a', scheduler: '' }, split), { sampler_name: 'Euler a' });
  });

  it('combines sampler and scheduler on servers without schedulers', () => {
    assert.deepEqual(resolveSampler({ sampler: 'DPM++ 2M', scheduler: 'Karras' }, combined), { sampler_name: 'DPM++ 2M Karras' });
    assert.deepEqual(resolveSampler({ sampler: 'DPM++ 2M Karras', scheduler: 'Automatic' }, combined), { sampler_name: 'DPM++ 2M Karras' });
    assert.deepEqual(resolveSampler({ sampler: 'Euler a', scheduler: 'Automatic' }, combined), { sampler_name: 'Euler a' });
  });

  it('falls back to the plain sampler with a note when the combination does not exist', () => {
    const choice = resolveSampler({ sampler: 'Euler a', scheduler: 'Karras' }, combined);
    assert.equal(choice.sampler_name, 'Euler a');
    assert.match(choice.note ?? '', /no sampler "Euler a Karras"/);
  });

  it('names the choices when the sampler or scheduler is unknown', () => {
    for (const [request, catalog, field] of [
      [{ sampler: 'Nope' }, split, 'sampler_name'],
      [{ sampler: 'Nope Karras' }, split, 'sampler_name'],
      [{ sampler: 'Euler', scheduler: 'Weird' }, split, 'scheduler'],
      [{ sampler: 'Nope', scheduler: 'Karras' }, combined, 'sampler_name'],
    ] as const) {
      assert.throws(() => resolveSampler(request, catalog), (error: unknown) => {
        assert.ok(error instanceof SdApiError);
        assert.equal(error.kind, 'validation');
        assert.equal(error.fieldErrors[0].field, field);
        assert.match(error.message, /choose one it offers \(/);
        return true;
      });
    }
  });

  it('passes names through when the server lists no samplers', () => {
    assert.deepEqual(resolveSampler({ sampler: 'Anything', scheduler: 'Karras' }, { samplers: [] }), { sampler_name: 'Anything' });
  });
});
