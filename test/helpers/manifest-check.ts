/**
 * Schema checks of the deployment examples, for test/unit/examples.test.ts (and so `npm test` in
 * .ci/run): GitHub workflow files against the workflow schema bundled in @action-validator/core,
 * Kubernetes manifests against the Kubernetes API schemas compiled into kubernetes-models. Each
 * returns the problems found, one line each, empty when the file is valid.
 */
import { readFileSync } from 'node:fs';
import { validateAction, validateWorkflow } from '@action-validator/core';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { parseAllDocuments } from 'yaml';

interface Validatable {
  validate(): void;
}

/** The kinds the examples use; any other kind is a problem (nothing checks it). */
const MODELS: Record<string, new (data: never) => Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Pod': Pod,
  'batch/v1/Job': Job,
};

export function workflowProblems(path: string): string[] {
  const state = validateWorkflow(readFileSync(path, 'utf8'));
  return state.errors.map(
    (e) =>
      `${path}: ${'path' in e ? e.path + ' ' : ''}${e.title}${e.detail ? ': ' + e.detail : ''}`,
  );
}

/**
 * action.yml against the action schema. The schema bundled in @action-validator/core 0.6.0 lists
 * the runtimes up to node20; `runs.using: node24` is checked by test/action instead, and the rest
 * of the file here.
 */
export function actionProblems(path: string): string[] {
  const text = readFileSync(path, 'utf8').replace(/^( {2}using:) node24$/m, '$1 node20');
  return validateAction(text).errors.map(
    (e) => `${path}: ${'path' in e ? e.path + ' ' : ''}${e.title}`,
  );
}

/** Every document of a Kubernetes YAML file, parsed and validated against its kind's schema. */
export function manifestProblems(path: string): {
  problems: string[];
  docs: Record<string, unknown>[];
} {
  const problems: string[] = [];
  const docs: Record<string, unknown>[] = [];
  for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
    for (const error of doc.errors) problems.push(`${path}: YAML: ${error.message.split('\n')[0]}`);
    if (doc.errors.length > 0) continue;
    const value = doc.toJS() as Record<string, unknown> | null;
    if (value === null) continue;
    docs.push(value);
    const key = `${String(value.apiVersion)}/${String(value.kind)}`;
    const Model = MODELS[key];
    if (Model === undefined) {
      problems.push(`${path}: ${key} is not a kind this check knows`);
      continue;
    }
    try {
      new Model(value as never).validate();
    } catch (error) {
      problems.push(`${path}: ${key}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (docs.length === 0 && problems.length === 0) problems.push(`${path}: no document`);
  return { problems, docs };
}
