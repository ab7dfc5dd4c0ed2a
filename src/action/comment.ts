/**
 * The sticky PR comment: one comment per PR and comment key, updated in place on every run.
 *
 * The body starts with a hidden marker (`<!-- mcp-loadtest:<key> -->`, see render/markdown.ts).
 * The PR's comments are searched page by page (100 per page, following the Link header) for a
 * body that starts with it; the first match is updated, else a comment is created. Searching
 * every page matters: on a busy PR the comment from the first run is rarely on page 1.
 *
 * Only pull_request and pull_request_target events have a PR to comment on. A token that may not
 * write (no `pull-requests: write`, or a pull request from a fork, whose GITHUB_TOKEN is read-only)
 * gets a warning, never a failure: the comment is a courtesy, the thresholds decide the step.
 */
import * as core from '@actions/core';
import * as github from '@actions/github';

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

export type CommentResult =
  | { action: 'created' | 'updated'; id: number; url: string }
  | { action: 'skipped'; reason: string }
  | { action: 'failed'; reason: string };

export async function publishComment(
  body: string,
  marker: string,
  token: string,
): Promise<CommentResult> {
  const { context } = github;
  if (!PR_EVENTS.has(context.eventName)) {
    return {
      action: 'skipped',
      reason: `the ${context.eventName || 'unknown'} event has no pull request`,
    };
  }
  const prNumber =
    (context.payload.pull_request?.number as number | undefined) ?? context.issue.number;
  if (!Number.isInteger(prNumber) || prNumber <= 0) {
    return { action: 'skipped', reason: 'the event payload names no pull request number' };
  }
  if (token === '') {
    core.warning(
      'mcp-loadtest: no github-token, so no PR comment; the job summary has the results',
    );
    return { action: 'skipped', reason: 'no github-token' };
  }
  const { owner, repo } = context.repo;
  const octokit = github.getOctokit(token);
  try {
    const existing = await findComment(octokit, { owner, repo, issue_number: prNumber }, marker);
    if (existing !== undefined) {
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: existing,
        body,
      });
      return { action: 'updated', id: data.id, url: data.html_url };
    }
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: prNumber,
      body,
    });
    return { action: 'created', id: data.id, url: data.html_url };
  } catch (error) {
    const reason = describeFailure(error);
    core.warning(reason);
    return { action: 'failed', reason };
  }
}

type Octokit = ReturnType<typeof github.getOctokit>;

/** The id of the first comment whose body starts with `marker`, searching every page. */
async function findComment(
  octokit: Octokit,
  issue: { owner: string; repo: string; issue_number: number },
  marker: string,
): Promise<number | undefined> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    ...issue,
    per_page: 100,
  });
  for await (const page of pages) {
    const found = page.data.find((comment) => comment.body?.startsWith(marker) === true);
    if (found !== undefined) return found.id;
  }
  return undefined;
}

function describeFailure(error: unknown): string {
  const status = (error as { status?: unknown } | undefined)?.status;
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (status === 403 || status === 404) {
    return (
      `mcp-loadtest could not write the PR comment (HTTP ${status}: ${message}). ` +
      'Give the job `permissions: pull-requests: write`; on pull requests from forks GITHUB_TOKEN ' +
      'is read-only, so no comment is possible there. The job summary has the results.'
    );
  }
  const what = typeof status === 'number' ? `HTTP ${status}: ${message}` : message;
  return `mcp-loadtest could not write the PR comment (${what}); the job summary has the results.`;
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
