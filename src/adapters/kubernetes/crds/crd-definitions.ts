import type { V1CustomResourceColumnDefinition, V1CustomResourceDefinition } from '@kubernetes/client-node';
import type { z } from 'zod';
import {
  attemptSchema,
  dispatchStateSchema,
  reviewLeaseSchema,
  storedRecordSchema,
} from '../../store/record-schemas.js';
import { structuralSchema } from './crd-schema.js';
import { slotClaimSchema } from './slot-claim-schema.js';

/**
 * The custom resources that hold k3sc's durable state (ADR 0006). Each object's `spec` is one
 * record exactly as the zod schema of src/adapters/store/record-schemas.ts describes it, so the
 * CRD schemas are generated from those schemas (manifests/base/crds/ is their output).
 */
export const CRD_GROUP = 'k3sc.dev';
export const CRD_VERSION = 'v1';

export interface ResourceKind {
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  readonly spec: z.ZodType;
  readonly description: string;
  readonly columns: readonly V1CustomResourceColumnDefinition[];
}

const col = (
  name: string,
  jsonPath: string,
  type = 'string',
  priority?: number,
): V1CustomResourceColumnDefinition => ({
  name,
  type,
  jsonPath,
  ...(priority === undefined ? {} : { priority }),
});
const age = col('Age', '.metadata.creationTimestamp', 'date');

export const AGENT_JOB: ResourceKind = {
  kind: 'AgentJob',
  plural: 'agentjobs',
  singular: 'agentjob',
  shortNames: ['aj'],
  spec: attemptSchema,
  description: 'One attempt of one agent on one issue; creating it is the lock on the attempt name.',
  columns: [
    col('Owner', '.spec.repo.owner'),
    col('Repo', '.spec.repo.name'),
    col('Issue', '.spec.issue', 'integer'),
    col('Kind', '.spec.kind'),
    col('Slot', '.spec.slot'),
    col('Phase', '.spec.phase'),
    col('PR', '.spec.prNumber', 'integer'),
    col('Reason', '.spec.reason', 'string', 1),
    age,
  ],
};

export const REVIEW_LEASE: ResourceKind = {
  kind: 'ReviewLease',
  plural: 'reviewleases',
  singular: 'reviewlease',
  shortNames: ['rl'],
  spec: reviewLeaseSchema,
  description: 'A reservation of one open pull request for one review worker.',
  columns: [
    col('Repo', '.spec.repo.name'),
    col('PR', '.spec.pr', 'integer'),
    col('Worker', '.spec.worker'),
    col('Holder', '.spec.holder'),
    col('Expires', '.spec.expiresAt', 'date'),
  ],
};

export const DISPATCH_STATE: ResourceKind = {
  kind: 'DispatchState',
  plural: 'dispatchstates',
  singular: 'dispatchstate',
  shortNames: ['ds'],
  spec: dispatchStateSchema,
  description: "The farm's dispatch state (one per farm): pause, scale, disabled families, quota marks.",
  columns: [
    col('Paused', '.spec.paused', 'boolean'),
    col('MaxSlots', '.spec.maxSlots', 'integer'),
    col('Disabled', '.spec.disabledFamilies'),
    col('IdleScans', '.spec.idleScans', 'integer'),
    col('LastScan', '.spec.lastScanAt', 'date'),
  ],
};

export const AGENT_CONFIG: ResourceKind = {
  kind: 'AgentConfig',
  plural: 'agentconfigs',
  singular: 'agentconfig',
  shortNames: ['acfg'],
  spec: storedRecordSchema,
  description: 'A saved agent configuration (record kind agent-config).',
  columns: [col('Updated', '.spec.updatedAt', 'date'), age],
};

export const K3SC_RECORD: ResourceKind = {
  kind: 'K3scRecord',
  plural: 'k3screcords',
  singular: 'k3screcord',
  shortNames: ['krec'],
  spec: storedRecordSchema,
  description: 'A small named record of another part (chat message mapping, alert mark, audit entry).',
  columns: [col('Kind', '.spec.kind'), col('Name', '.spec.name'), col('Updated', '.spec.updatedAt', 'date')],
};

export const SLOT_CLAIM: ResourceKind = {
  kind: 'SlotClaim',
  plural: 'slotclaims',
  singular: 'slotclaim',
  shortNames: ['slot'],
  spec: slotClaimSchema,
  description: 'The lock on one slot (held by a live attempt) or one review worker (held by its lease).',
  columns: [col('Slot', '.spec.slot'), col('Holder', '.spec.holder'), col('For', '.spec.holderKind'), age],
};

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  AGENT_JOB,
  REVIEW_LEASE,
  DISPATCH_STATE,
  AGENT_CONFIG,
  K3SC_RECORD,
  SLOT_CLAIM,
];

export const buildCrd = (r: ResourceKind): V1CustomResourceDefinition => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${r.plural}.${CRD_GROUP}`, labels: { 'app.kubernetes.io/part-of': 'k3sc' } },
  spec: {
    group: CRD_GROUP,
    scope: 'Namespaced',
    names: {
      kind: r.kind,
      listKind: `${r.kind}List`,
      plural: r.plural,
      singular: r.singular,
      shortNames: [...r.shortNames],
      categories: ['k3sc'],
    },
    versions: [
      {
        name: CRD_VERSION,
        served: true,
        storage: true,
        additionalPrinterColumns: [...r.columns],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: r.description,
            required: ['spec'],
            properties: { spec: structuralSchema(r.spec) },
          },
        },
      },
    ],
  },
});
