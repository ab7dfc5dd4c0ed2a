/**
 * The deployment examples are valid before anyone deploys them: the repository's workflows and the
 * sharded GitHub example against the workflow schema, action.yml against the action schema, the
 * Kubernetes manifests against the Kubernetes API schemas; and the checks catch a broken copy.
 */
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionProblems, manifestProblems, workflowProblems } from '../helpers/manifest-check.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const yamlIn = (dir: string): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(ROOT, dir, f));

const WORKFLOWS = [...yamlIn('.github/workflows'), ...yamlIn('examples/github')];
const MANIFESTS = yamlIn('examples/kubernetes');
const scratch = mkdtempSync(join(tmpdir(), 'mcp-loadtest-examples-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of `path` in the scratch directory with `edit` applied to its text. */
function brokenCopy(path: string, edit: (text: string) => string): string {
  const copy = join(scratch, `${Math.random().toString(36).slice(2)}-${path.split('/').pop()}`);
  copyFileSync(path, copy);
  const text = readFileSync(copy, 'utf8');
  const broken = edit(text);
  expect(broken).not.toBe(text);
  writeFileSync(copy, broken);
  return copy;
}

describe('GitHub workflows', () => {
  it('finds the sharded example and the repository workflows', () => {
    expect(WORKFLOWS.map((p) => p.slice(ROOT.length))).toEqual(
      expect.arrayContaining([
        '.github/workflows/self-test-shards.yml',
        'examples/github/sharded-loadtest.yml',
      ]),
    );
  });

  it.each(WORKFLOWS.map((p) => [p.slice(ROOT.length), p]))(
    '%s matches the workflow schema',
    (_, path) => {
      expect(workflowProblems(path)).toEqual([]);
    },
  );

  it('action.yml matches the action schema', () => {
    expect(actionProblems(join(ROOT, 'action.yml'))).toEqual([]);
  });

  it('rejects a workflow whose job has no runs-on', () => {
    const path = join(ROOT, 'examples/github/sharded-loadtest.yml');
    const copy = brokenCopy(path, (t) => t.replace(/^ {4}runs-on: ubuntu-latest\n/m, ''));
    expect(workflowProblems(copy)).not.toEqual([]);
  });

  it('rejects a workflow with a misspelt key', () => {
    const path = join(ROOT, '.github/workflows/self-test-shards.yml');
    const copy = brokenCopy(path, (t) => t.replace('    strategy:\n', '    stratgy:\n'));
    expect(workflowProblems(copy)).not.toEqual([]);
  });

  it('runs as many matrix shards as the shard input divides the load into', () => {
    for (const path of WORKFLOWS.filter((p) => readFileSync(p, 'utf8').includes('shard: ${{'))) {
      const workflow = parse(readFileSync(path, 'utf8')) as {
        jobs: Record<
          string,
          {
            strategy?: { matrix?: { shard?: number[] } };
            steps: { with?: Record<string, unknown> }[];
          }
        >;
      };
      const job = workflow.jobs.shard!;
      const shards = job.strategy!.matrix!.shard!;
      const input = job.steps.map((s) => s.with?.shard).find((v) => v !== undefined);
      expect(shards).toEqual(shards.map((_, i) => i + 1));
      expect(input).toBe(`\${{ matrix.shard }}/${shards.length}`);
    }
  });
});

describe('Kubernetes manifests', () => {
  it.each(MANIFESTS.map((p) => [p.slice(ROOT.length), p]))(
    '%s matches the Kubernetes API schema',
    (_, path) => {
      expect(manifestProblems(path).problems).toEqual([]);
    },
  );

  it('shards the load as the Indexed Job runs it: completions = parallelism = SHARDS', () => {
    const [job] = manifestProblems(join(ROOT, 'examples/kubernetes/shards-job.yaml')).docs as {
      spec: {
        completionMode: string;
        completions: number;
        parallelism: number;
        template: {
          spec: { containers: { env: { name: string; value: string }[]; args: string[] }[] };
        };
      };
    }[];
    const spec = job!.spec;
    const container = spec.template.spec.containers[0]!;
    expect(spec.completionMode).toBe('Indexed');
    expect(spec.parallelism).toBe(spec.completions);
    expect(container.env.find((e) => e.name === 'SHARDS')?.value).toBe(String(spec.completions));
    expect(container.args[0]).toContain('--shard "$shard"');
    expect(container.args[0]).toContain('shard="$((JOB_COMPLETION_INDEX + 1))/$SHARDS"');
  });

  it('rejects a manifest with a value of the wrong type', () => {
    const path = join(ROOT, 'examples/kubernetes/shards-job.yaml');
    const copy = brokenCopy(path, (t) => t.replace('completions: 3', 'completions: three'));
    expect(manifestProblems(copy).problems).toEqual([
      expect.stringContaining('batch/v1/Job: data/spec/completions must be integer'),
    ]);
  });

  it('rejects a manifest missing a required field', () => {
    const path = join(ROOT, 'examples/kubernetes/merge-job.yaml');
    const copy = brokenCopy(path, (t) =>
      t.replace('        - name: merge\n          image:', '        - image:'),
    );
    expect(manifestProblems(copy).problems).toEqual([
      expect.stringContaining('must have required property'),
    ]);
  });

  it('rejects YAML that does not parse', () => {
    const path = join(ROOT, 'examples/kubernetes/reports-pvc.yaml');
    const copy = brokenCopy(path, (t) => t.replace('  accessModes:\n', '  accessModes: [\n'));
    expect(manifestProblems(copy).problems[0]).toContain(': YAML: ');
  });
});
