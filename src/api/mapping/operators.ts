/**
 * Operator definitions ↔ wire. Each `xToWire` builds the generated struct; each `xFromWire` checks
 * presence and builds the domain object, optional fields left out when absent. `field` says where
 * the value sits, for error messages.
 */
import { OperatorDef, PortDef, Resources } from '../../core/operator';
import * as wire from '../gen-nodejs/accio_types';
import { compact, need, needList, opt, toI32, typeFromText, typeToText, valueFromJson, valueToJson } from './primitives';

export function resourcesToWire(r: Resources, field = 'resources'): wire.Resources {
  return new wire.Resources({
    cpu: r.cpu,
    memoryMb: toI32(r.memoryMb, `${field}.memoryMb`),
    diskMb: toI32(r.diskMb, `${field}.diskMb`),
  });
}

export function resourcesFromWire(r: wire.Resources | null | undefined, field: string): Resources {
  const w = need(r, field);
  return {
    cpu: need(w.cpu, `${field}.cpu`),
    memoryMb: need(w.memoryMb, `${field}.memoryMb`),
    diskMb: need(w.diskMb, `${field}.diskMb`),
  };
}

export function portToWire(p: PortDef, field: string): wire.PortDef {
  return new wire.PortDef({
    name: p.name,
    type: typeToText(p.type),
    help: p.help,
    defaultJson: p.default === undefined ? undefined : valueToJson(p.default, `${field}.default`),
    isOptional: p.optional,
  });
}

export function portFromWire(w: wire.PortDef, field: string): PortDef {
  const defaultJson = opt(w.defaultJson);
  return compact({
    name: need(w.name, `${field}.name`),
    type: typeFromText(w.type, `${field}.type`),
    help: opt(w.help),
    default: defaultJson === undefined ? undefined : valueFromJson(defaultJson, `${field}.default`),
    optional: need(w.isOptional, `${field}.isOptional`),
  });
}

export function operatorToWire(d: OperatorDef): wire.OperatorDef {
  const field = `operator ${d.name}`;
  return new wire.OperatorDef({
    name: d.name,
    version: d.version,
    category: d.category,
    help: d.help,
    description: d.description,
    inputs: d.inputs.map((p, i) => portToWire(p, `${field}.inputs[${i}]`)),
    outputs: d.outputs.map((p, i) => portToWire(p, `${field}.outputs[${i}]`)),
    resources: resourcesToWire(d.resources, `${field}.resources`),
    unstable: d.unstable,
    deprecation: d.deprecation,
  });
}

export function operatorFromWire(w: wire.OperatorDef | null | undefined, field: string): OperatorDef {
  const d = need(w, field);
  return compact({
    name: need(d.name, `${field}.name`),
    version: need(d.version, `${field}.version`),
    category: need(d.category, `${field}.category`),
    help: need(d.help, `${field}.help`),
    description: opt(d.description),
    inputs: needList(d.inputs, `${field}.inputs`, portFromWire),
    outputs: needList(d.outputs, `${field}.outputs`, portFromWire),
    resources: resourcesFromWire(d.resources, `${field}.resources`),
    unstable: need(d.unstable, `${field}.unstable`),
    deprecation: opt(d.deprecation),
  });
}
