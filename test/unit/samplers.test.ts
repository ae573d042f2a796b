import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { formPairFor, resolveSamplerNames } from '../../src/shared/samplerNames';
import { resolveSampler, type SamplerCatalog } from '../../src/sdapi/samplers';
import { SdApiError } from '../../src/sdapi/errors';

const sampler = (name: string) => ({ name, aliases: [name.toLowerCase().replace(/\W+/g, '_')] });
const split: SamplerCatalog = {
  samplers: ['DPM++ 2M', 'DPM++ 2M SDE', 'Euler a', 'Euler'].map(sampler),
  schedulers: [
    ['automatic', 'Automatic'],
    ['karras', 'Karras'],
    ['sgm_uniform', 'SGM Uniform'],
    ['align_your_steps', 'Align Your Steps'],
  ].map(([name, label]) => ({ name, label })),
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
      assert.throws(
        () => resolveSampler(request, catalog),
        (error: unknown) => {
          assert.ok(error instanceof SdApiError);
          assert.equal(error.kind, 'validation');
          assert.equal(error.fieldErrors[0].field, field);
          assert.match(error.message, /choose one it offers \(/);
          return true;
        },
      );
    }
  });

  it('passes names through when the server lists no samplers', () => {
    assert.deepEqual(resolveSampler({ sampler: 'Anything', scheduler: 'Karras' }, { samplers: [] }), { sampler_name: 'Anything' });
  });
});

describe('sampler names on every server (shared/samplerNames.ts)', () => {
  const sdcpp: SamplerCatalog = {
    samplers: ['euler', 'euler_a', 'heun', 'dpm2', 'dpm++2s_a', 'dpm++2m', 'dpm++2mv2', 'lcm'].map((name) => ({ name, aliases: [name] })),
    schedulers: ['discrete', 'karras', 'exponential', 'ays', 'sgm_uniform'].map((name) => ({ name, label: name })),
  };
  // SD.Next answers /schedulers with its sampler list (separator entries included).
  const sdnextNames = ['Default', '── Euler ──', 'Euler a', 'DPM++ 2M', 'UniPC'];
  const sdnext: SamplerCatalog = {
    samplers: sdnextNames.map((name) => ({ name, aliases: [] })),
    schedulers: sdnextNames.map((name) => ({ name, label: name })),
  };
  const kobold: SamplerCatalog = { samplers: ['Euler a', 'Euler', 'Heun', 'DPM2', 'DPM++ 2M', 'LCM'].map((name) => ({ name, aliases: [] })) };

  it('"Automatic" sends no scheduler, in any spelling', () => {
    for (const automatic of ['Automatic', 'automatic', ' AUTOMATIC ', '']) {
      assert.deepEqual(resolveSampler({ sampler: 'DPM++ 2M', scheduler: automatic }, split), { sampler_name: 'DPM++ 2M' });
      assert.deepEqual(resolveSampler({ sampler: 'DPM++ 2M', scheduler: automatic }, sdnext), { sampler_name: 'DPM++ 2M' });
      assert.deepEqual(resolveSampler({ sampler: 'DPM++ 2M', scheduler: automatic }, sdcpp), { sampler_name: 'dpm++2m' });
    }
  });

  it('matches names case-, space- and punctuation-insensitively and through common spellings', () => {
    assert.equal(resolveSampler({ sampler: 'Euler a' }, sdcpp).sampler_name, 'euler_a');
    assert.equal(resolveSampler({ sampler: 'DPM++ 2S a' }, sdcpp).sampler_name, 'dpm++2s_a');
    assert.equal(resolveSampler({ sampler: 'k_dpmpp_2m' }, split).sampler_name, 'DPM++ 2M');
    assert.equal(resolveSampler({ sampler: 'euler_ancestral' }, split).sampler_name, 'Euler a');
    assert.equal(resolveSampler({ sampler: 'k_euler_a' }, kobold).sampler_name, 'Euler a');
    assert.deepEqual(resolveSampler({ sampler: 'DPM++ 2M', scheduler: 'Karras' }, sdcpp), { sampler_name: 'dpm++2m', scheduler: 'karras' });
  });

  it('reduces a combined name to its base sampler where the server lacks the scheduler, and says so', () => {
    const kobolded = resolveSampler({ sampler: 'DPM++ 2M Karras', scheduler: 'Automatic' }, kobold);
    assert.equal(kobolded.sampler_name, 'DPM++ 2M');
    assert.match(kobolded.note ?? '', /no sampler "DPM\+\+ 2M Karras"; used "DPM\+\+ 2M"/);
    const onSdnext = resolveSampler({ sampler: 'DPM++ 2M Karras', scheduler: 'Automatic' }, sdnext);
    assert.deepEqual([onSdnext.sampler_name, onSdnext.scheduler], ['DPM++ 2M', undefined]);
    assert.match(onSdnext.note ?? '', /no scheduler "Karras"/);
    assert.deepEqual(resolveSampler({ sampler: 'DPM++ 2M Karras' }, sdcpp), { sampler_name: 'dpm++2m', scheduler: 'karras' });
  });

  it('a scheduler chosen explicitly wins over the one inside a combined name', () => {
    const choice = resolveSampler(
      { sampler: 'DPM++ 2M Karras', scheduler: 'Exponential' },
      { ...split, schedulers: [...split.schedulers!, { name: 'exponential', label: 'Exponential' }] },
    );
    assert.equal(choice.sampler_name, 'DPM++ 2M');
    assert.equal(choice.scheduler, 'Exponential');
    assert.match(choice.note ?? '', /"Exponential" replaces "Karras"/);
  });

  it('the panel shows the pair the server knows', () => {
    assert.deepEqual(formPairFor({ sampler: 'DPM++ 2M Karras', scheduler: 'Automatic' }, split), { sampler: 'DPM++ 2M', scheduler: 'Karras' });
    assert.deepEqual(formPairFor({ sampler: 'DPM++ 2M', scheduler: 'Automatic' }, split), { sampler: 'DPM++ 2M', scheduler: 'Automatic' });
    assert.deepEqual(
      formPairFor({ sampler: 'Nope', scheduler: 'Karras' }, split),
      { sampler: 'Nope', scheduler: 'Karras' },
      'unknown: kept, so the form marks it',
    );
  });

  // Property tests over real servers' lists.
  const catalogs = fc.constantFrom(split, combined, sdcpp, sdnext, kobold);
  const anyName = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('DPM++ 2M Karras', 'Euler a', 'automatic', 'Karras', 'euler_a', 'dpm++2m', '── Euler ──', 'DPM++ 2M SDE Exponential'),
  );

  it('is total: any names on any server give a listed choice or a refusal with the list, never a throw of another kind', () => {
    fc.assert(
      fc.property(anyName, anyName, catalogs, (sampler, scheduler, catalog) => {
        const resolved = resolveSamplerNames({ sampler, scheduler }, catalog);
        if (!resolved.ok) {
          assert.ok(resolved.offered.length > 0);
          return;
        }
        const { sampler_name: name, scheduler: sent } = resolved.choice;
        if (sampler.trim() !== '')
          assert.ok(
            catalog.samplers.some((s) => s.name === name),
            `${name} is listed`,
          );
        if (sent !== undefined)
          assert.ok(
            catalog.schedulers?.some((s) => s.label === sent),
            `${sent} is listed`,
          );
      }),
      { numRuns: 3000 },
    );
  });

  it('any listed sampler, in any case and spacing, with any listed scheduler, is sent as listed', () => {
    const respell = (name: string, upper: boolean, spaced: boolean) => (upper ? name.toUpperCase() : name.toLowerCase()).replace(/ /g, spaced ? '  ' : '');
    fc.assert(
      fc.property(catalogs, fc.nat(), fc.nat(), fc.boolean(), fc.boolean(), (catalog, i, j, upper, spaced) => {
        const sampler = catalog.samplers[i % catalog.samplers.length].name;
        if (sampler.startsWith('──')) return;
        const scheduler = catalog.schedulers?.[j % catalog.schedulers.length]?.label;
        const resolved = resolveSamplerNames({ sampler: respell(sampler, upper, spaced), ...(scheduler ? { scheduler } : {}) }, catalog);
        assert.ok(resolved.ok);
        assert.equal(resolved.choice.sampler_name, sampler);
        if (catalog.schedulers && scheduler && !/^automatic$/i.test(scheduler) && catalog !== sdnext) assert.equal(resolved.choice.scheduler, scheduler);
      }),
      { numRuns: 2000 },
    );
  });

  it('what the panel shows resolves to what the setting resolves to', () => {
    fc.assert(
      fc.property(anyName, anyName, catalogs, (sampler, scheduler, catalog) => {
        const direct = resolveSamplerNames({ sampler, scheduler }, catalog);
        if (!direct.ok) return;
        const viaForm = resolveSamplerNames(formPairFor({ sampler, scheduler }, catalog), catalog);
        assert.ok(viaForm.ok);
        assert.equal(viaForm.choice.sampler_name, direct.choice.sampler_name);
        assert.equal(viaForm.choice.scheduler, direct.choice.scheduler);
      }),
      { numRuns: 3000 },
    );
  });
});
