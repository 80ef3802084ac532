import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

/** One execution's full history as Temporal stores it (payloads not decoded). */
export interface StoredHistory {
  workflowId: string;
  runId: string;
  /** The history as JSON text (payload bytes in base64), as `temporal workflow show -o json` prints it. */
  json: string;
  /** Every payload in the history, wherever it sits (inputs, results, memos, heartbeats, failures), search attributes aside. */
  payloads: Payload[];
  /** Where each payload sits in the history. */
  payloadPaths: string[];
  /** Search attribute values: indexed by the server, so never encoded by a codec. */
  searchAttributePayloads: Payload[];
}

function isPayload(value: object): value is Payload {
  return 'metadata' in value && 'data' in value && (value as Payload).data instanceof Uint8Array;
}

interface PayloadsFound {
  payloads: Payload[];
  /** Where each of `payloads` sits, e.g. `.events.0.workflowExecutionStartedEventAttributes.input.payloads.0`. */
  paths: string[];
  searchAttributes: Payload[];
}

/** Every payload inside a history object, found by walking it; search attribute values go to `searchAttributes`. */
export function payloadsIn(value: unknown, found: PayloadsFound = { payloads: [], paths: [], searchAttributes: [] }, path = ''): PayloadsFound {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  if (isPayload(value)) {
    if (/\.searchAttributes\b/.test(path)) found.searchAttributes.push(value);
    else {
      found.payloads.push(value);
      found.paths.push(path);
    }
    return found;
  }
  for (const [key, child] of Object.entries(value)) payloadsIn(child, found, `${path}.${key}`);
  return found;
}

/** The histories of every execution in the namespace (every run of a continued-as-new workflow too), payloads as stored. */
export async function fetchAllHistories(client: Client): Promise<StoredHistory[]> {
  const histories: StoredHistory[] = [];
  for await (const execution of client.workflow.list()) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const { payloads, paths, searchAttributes } = payloadsIn(history);
    histories.push({ workflowId: execution.workflowId, runId: execution.runId, json: historyToJSON(history), payloads, payloadPaths: paths, searchAttributePayloads: searchAttributes });
  }
  return histories;
}

/** A payload's metadata value as text. */
export function metadataOf(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? Buffer.from(value).toString('utf8') : undefined;
}
