/** The cryptography and credentials inventory section of the HTML report (Appendix 2's per-path description). */
import { algorithmLabel, communicationPaths, credentialLabel, endpointLabel, protocolLabel, sourceLabel } from '../inventory/paths';
import type { Inventory, Occurrence } from '../inventory/types';
import { headRow } from './html-parts';
import { html, joinHtml, type Html } from './html-template';

function where(occurrences: Occurrence[], limit = 4): Html {
  const shown = occurrences.slice(0, limit).map((o) => html`<code>${`${o.path}:${o.line}`}</code>`);
  return html`${joinHtml(shown, ', ')}${occurrences.length > limit && ` and ${occurrences.length - limit} more`}`;
}

function cellList(items: string[]): Html {
  return items.length ? joinHtml(items, html`<br>`) : html`–`;
}

/** A weakness in bold, or 'Acceptable'. */
function assessment(weakness: string | undefined): Html {
  return weakness ? html`<span class="weak">Weak:</span> ${weakness}` : html`Acceptable`;
}

interface InventoryTable {
  caption: string;
  columns: string[];
  rows: Html[];
  empty: string;
  testid: string;
  /** Column widths in percent (a fixed-layout table). */
  widths?: number[];
}

function inventoryTable({ caption, columns, rows, empty, testid, widths }: InventoryTable): Html {
  if (!rows.length) return html`<p class="clean">${empty}</p>`;
  const colgroup = widths && html`<colgroup>${widths.map((w) => html`<col style="width:${w}%">`)}</colgroup>`;
  return html`<table data-testid="${testid}"${widths && html` class="fixed"`}><caption>${caption}</caption>${colgroup}${headRow(
    columns,
  )}<tbody>${joinHtml(rows, '\n')}</tbody></table>`;
}

function inventoryTables(inventory: Inventory): Record<'paths' | 'algorithms' | 'protocols' | 'endpoints' | 'credentials', InventoryTable> {
  const cleartext = html`<span class="weak">None (cleartext)</span>`;
  const transport = (x: Inventory['endpoints'][number]) =>
    html`${x.transport === 'none' ? cleartext : x.transport.toUpperCase()}${x.local && ' (loopback)'}`;
  const storage = (c: Inventory['credentials'][number]) =>
    c.source === 'hardcoded'
      ? html`<span class="weak">${sourceLabel(c.source)}</span>${c.suppressed && ' (suppressed)'}`
      : html`${sourceLabel(c.source)}`;
  return {
    paths: {
      caption: 'Protocols, crypto methods, key lengths and credentials per path',
      columns: ['Source file', 'Endpoints (transport security)', 'Protocol versions', 'Algorithms and key lengths', 'Credentials and keys'],
      rows: communicationPaths(inventory).map(
        (group) =>
          html`<tr><th scope="row"><code>${group.path}</code></th>${[
            html`<td>${cellList(group.endpoints.map(endpointLabel))}</td><td>${cellList(group.protocols.map(protocolLabel))}</td>`,
            html`<td>${cellList(group.algorithms.map(algorithmLabel))}</td><td>${cellList(group.credentials.map(credentialLabel))}</td></tr>`,
          ]}`,
      ),
      empty: 'Nothing found.',
      testid: 'inventory-paths',
      widths: [20, 27, 14, 17, 22],
    },
    algorithms: {
      caption: 'Cryptographic algorithms',
      columns: ['Algorithm', 'Primitive', 'Key length (bits)', 'Assessment', 'Where'],
      rows: inventory.algorithms.map(
        (a) =>
          html`<tr><td>${a.name}</td><td>${a.primitive}</td><td class="num">${a.keyBits ?? '–'}</td>${html`<td>${assessment(a.weakness)}</td><td>${where(a.occurrences)}</td></tr>`}`,
      ),
      empty: 'No cryptographic algorithm found.',
      testid: 'inventory-algorithms',
    },
    protocols: {
      caption: 'TLS, DTLS and SSH configuration',
      columns: ['Protocol', 'Assessment', 'Where'],
      rows: inventory.protocols.map(
        (p) => html`<tr><td>${p.name}</td><td>${assessment(p.weakness)}</td>${html`<td>${where(p.occurrences)}</td></tr>`}`,
      ),
      empty: 'No TLS, DTLS or SSH configuration found.',
      testid: 'inventory-protocols',
    },
    endpoints: {
      caption: 'Protocol endpoints',
      columns: ['Endpoint', 'Scheme', 'Transport security', 'Where'],
      rows: inventory.endpoints.map(
        (x) =>
          html`<tr><td><code>${x.url}</code></td><td>${x.scheme}</td>${html`<td>${transport(x)}</td><td>${where(x.occurrences)}</td></tr>`}`,
      ),
      empty: 'No protocol endpoint found.',
      testid: 'inventory-endpoint-table',
    },
    credentials: {
      caption: 'Where credentials and keys are defined or loaded',
      columns: ['Name', 'Kind', 'Storage', 'Redacted snippet', 'Where'],
      rows: inventory.credentials.map(
        (c) =>
          html`<tr><td><code>${c.name}</code></td><td>${c.material.replace(/-/g, ' ')}</td>${[
            html`<td>${storage(c)}</td><td>${c.redactedSnippet ? html`<span class="snippet">${c.redactedSnippet}</span>` : '–'}</td>`,
            html`<td>${where(c.occurrences)}</td></tr>`,
          ]}`,
      ),
      empty: 'No credential or key definition or load found.',
      testid: 'inventory-credential-table',
    },
  };
}

const INVENTORY_PATHS_NOTE = 'A source file stands for a communication path; its endpoints name the path.';

export function inventorySection(inventory: Inventory): Html {
  const tables = inventoryTables(inventory);
  const counts = html`${inventory.algorithms.length} algorithms, ${inventory.protocols.length} protocol settings, ${html`<span data-testid="inventory-endpoints">${inventory.endpoints.length}</span> endpoints and `}${html`<span data-testid="inventory-credentials">${inventory.credentials.length}</span> credential or key definitions and loads`}`;
  return html`<section class="major" aria-labelledby="inventory"><h2 id="inventory">Cryptography and credentials inventory</h2>
<p>Taken from the code model of ${inventory.files} files: ${counts}. Secret values are masked. ${INVENTORY_PATHS_NOTE}</p>
<h3>Per communication path</h3>
${inventoryTable(tables.paths)}
<h3>Algorithms</h3>
${inventoryTable(tables.algorithms)}
<h3>Protocols</h3>
${inventoryTable(tables.protocols)}
<h3>Endpoints</h3>
${inventoryTable(tables.endpoints)}
<h3>Credentials and keys</h3>
${inventoryTable(tables.credentials)}
</section>`;
}
