/**
 * Containers a CI run starts for itself. In a CI pipeline definition, the `services:` of a job (GitHub Actions,
 * GitLab, Drone, Woodpecker, Bitbucket) and CircleCI's `docker:` image list declare throwaway containers on the
 * runner (the database a test job needs); the password their environment sets is the one that container is
 * created with, reachable only from the job beside it. It ships with nothing. The same password in a step's
 * environment logs into something the pipeline did not start (a staging server, a device) and stays reported.
 */
const CI_PIPELINE =
  /(?:^|\/)(?:\.circleci\/config\.ya?ml|\.github\/workflows\/[^/]+\.ya?ml|\.gitlab-ci\.ya?ml|azure-pipelines\.ya?ml|bitbucket-pipelines\.ya?ml|\.drone\.ya?ml|\.woodpecker(?:\.ya?ml|\/[^/]+\.ya?ml))$/;
const CONTAINER_BLOCKS = new Set(['services', 'docker']);
/** A YAML mapping key at the start of a line, after the dash of a list item if any: its indentation and name. */
const YAML_KEY = /^( *)(?:- +)?([A-Za-z_][\w.-]*) *:/;
const INDENT = /^ */;

/** Whether the text at `offset` sits in a service container's block of a CI pipeline definition. */
export function inCiServiceContainer(path: string, content: string, offset: number): boolean {
  if (!CI_PIPELINE.test(path.replace(/\\/g, '/'))) return false;
  return yamlAncestorKeys(content, offset).some((key) => CONTAINER_BLOCKS.has(key));
}

/** The keys of the mappings enclosing the line at `offset`, innermost first, by indentation. */
function yamlAncestorKeys(content: string, offset: number): string[] {
  const keys: string[] = [];
  let start = content.lastIndexOf('\n', offset - 1) + 1;
  let indent = INDENT.exec(content.slice(start, offset))![0].length;
  while (start > 0 && indent > 0) {
    const end = start - 1;
    start = content.lastIndexOf('\n', end - 1) + 1;
    const line = content.slice(start, end);
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const key = YAML_KEY.exec(line);
    const lineIndent = key ? key[1].length : INDENT.exec(line)![0].length;
    if (lineIndent >= indent) continue;
    indent = lineIndent;
    if (key) keys.push(key[2]);
  }
  return keys;
}
