import { describe, expect, it } from 'vitest';
import { addCapabilityTools } from '../../src/init/capability-probe.js';
import type { ClientCapability, Discovery } from '../../src/init/discover.js';
import { checkPrompts } from '../../src/init/prompt-check.js';

function discovery(partial: Partial<Discovery>): Discovery {
  return { tools: [], resources: [], prompts: [], ...partial };
}

describe('addCapabilityTools', () => {
  it('adds the tools listed only under a capability, naming every capability that listed them', async () => {
    const d = discovery({ tools: [{ name: 'echo' }] });
    const lists: Record<ClientCapability, Discovery['tools']> = {
      sampling: [{ name: 'echo' }, { name: 'sample' }, { name: 'both' }],
      elicitation: [{ name: 'echo' }, { name: 'both' }],
      roots: [{ name: 'echo' }],
    };
    await addCapabilityTools(d, async (capability) => lists[capability]);
    expect(d.tools).toEqual([
      { name: 'echo' },
      { name: 'sample', needs: ['sampling'] },
      { name: 'both', needs: ['sampling', 'elicitation'] },
    ]);
  });

  it('adds nothing for a probe that fails, and still runs the others', async () => {
    const d = discovery({ tools: [{ name: 'echo' }] });
    await addCapabilityTools(d, async (capability) => {
      if (capability === 'sampling') throw new Error('session refused');
      return capability === 'roots' ? [{ name: 'roots-tool' }] : [];
    });
    expect(d.tools.map((t) => [t.name, t.needs])).toEqual([
      ['echo', undefined],
      ['roots-tool', ['roots']],
    ]);
  });
});

describe('checkPrompts', () => {
  it('gets each prompt with required arguments once with the placeholders, recording refusals', async () => {
    const d = discovery({
      prompts: [
        { name: 'plain' },
        { name: 'city', arguments: [{ name: 'city', required: true }, { name: 'state' }] },
        { name: 'typed', arguments: [{ name: 'kind', required: true }] },
      ],
    });
    const sent: unknown[] = [];
    await checkPrompts(
      d,
      async (method, params) => {
        sent.push([method, params]);
        if (params?.name === 'typed') throw new Error('prompts/get: Invalid kind: example');
        return { messages: [] };
      },
      50,
    );
    expect(sent).toEqual([
      ['prompts/get', { name: 'city', arguments: { city: 'example' } }],
      ['prompts/get', { name: 'typed', arguments: { kind: 'example' } }],
    ]);
    expect(d.prompts.map((p) => p.refused)).toEqual([
      undefined,
      undefined,
      'prompts/get: Invalid kind: example',
    ]);
  });

  it('stops checking once its time budget has passed', async () => {
    const d = discovery({
      prompts: ['a', 'b'].map((name) => ({ name, arguments: [{ name: 'x', required: true }] })),
    });
    let calls = 0;
    await checkPrompts(d, async () => calls++, 50, -1);
    expect(calls).toBe(0);
  });

  it('checks at most max prompts', async () => {
    const d = discovery({
      prompts: ['a', 'b', 'c'].map((name) => ({
        name,
        arguments: [{ name: 'x', required: true }],
      })),
    });
    let calls = 0;
    await checkPrompts(d, async () => calls++, 2);
    expect(calls).toBe(2);
  });
});
