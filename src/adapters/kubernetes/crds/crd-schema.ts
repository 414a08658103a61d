import type { V1JSONSchemaProps } from '@kubernetes/client-node';
import { z } from 'zod';

/**
 * Turns a zod schema of a stored record into a Kubernetes structural schema, so the CRDs come
 * from the same schemas that check every record before it is stored and can never drift:
 * objects list their properties (unknown fields are pruned), optional fields are not required,
 * maps become `additionalProperties`, ISO times `format: date-time`, and free-form JSON
 * (a record's `data`) `x-kubernetes-preserve-unknown-fields` with `nullable`.
 */
type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const freeForm = (): V1JSONSchemaProps => ({
  x_kubernetes_preserve_unknown_fields: true,
  nullable: true,
});

const convert = (node: Json): V1JSONSchemaProps => {
  if (typeof node.$ref === 'string' || Array.isArray(node.anyOf)) return freeForm();
  const out: V1JSONSchemaProps = {};
  if (typeof node.description === 'string') out.description = node.description;
  switch (node.type) {
    case 'object': {
      out.type = 'object';
      if (isObj(node.properties)) {
        out.properties = Object.fromEntries(
          Object.entries(node.properties).map(([k, v]) => [k, convert(v as Json)]),
        );
        const required = Array.isArray(node.required) ? (node.required as string[]) : [];
        if (required.length > 0) out.required = [...required];
      } else if (isObj(node.additionalProperties)) {
        out.additionalProperties = convert(node.additionalProperties);
      }
      return out;
    }
    case 'array':
      out.type = 'array';
      out.items = convert(node.items as Json);
      return out;
    case 'string':
      out.type = 'string';
      if (node.format === 'date-time') out.format = 'date-time';
      else if (typeof node.pattern === 'string') out.pattern = node.pattern;
      if (Array.isArray(node.enum)) out._enum = [...(node.enum as string[])];
      if (typeof node.minLength === 'number') out.minLength = node.minLength;
      if (typeof node.maxLength === 'number') out.maxLength = node.maxLength;
      return out;
    case 'integer':
    case 'number':
      out.type = node.type;
      if (typeof node.minimum === 'number') out.minimum = node.minimum;
      return out;
    case 'boolean':
      out.type = 'boolean';
      return out;
    default:
      throw new Error(`no structural schema for ${JSON.stringify(node).slice(0, 120)}`);
  }
};

export const structuralSchema = (schema: z.ZodType): V1JSONSchemaProps => {
  return convert(z.toJSONSchema(schema, { unrepresentable: 'any' }));
};
