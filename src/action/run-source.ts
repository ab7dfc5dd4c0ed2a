/**
 * Which commit was tested and where its workflow run is, for the summary and the comment: the
 * head commit of a pull request (GITHUB_SHA is the merge commit there, which no reviewer looks
 * at), else GITHUB_SHA; and GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID.
 * Both come from the runner's environment and event payload (GitHub docs, "Variables").
 */
import * as github from '@actions/github';
import type { RunSource } from '../render/markdown.js';

export function runSource(env: NodeJS.ProcessEnv = process.env): RunSource {
  const head = github.context.payload.pull_request?.head as { sha?: unknown } | undefined;
  const sha = typeof head?.sha === 'string' && head.sha !== '' ? head.sha : env.GITHUB_SHA;
  const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '');
  const repository = env.GITHUB_REPOSITORY ?? '';
  const runId = env.GITHUB_RUN_ID ?? '';
  const runUrl =
    /^[\w.-]+\/[\w.-]+$/.test(repository) && /^\d+$/.test(runId)
      ? `${server}/${repository}/actions/runs/${runId}`
      : undefined;
  return {
    ...(sha === undefined || sha === '' ? {} : { sha }),
    ...(runUrl === undefined ? {} : { runUrl }),
  };
}
