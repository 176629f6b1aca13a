// Owns the class model as the API shows it: each class with its parent, attributes and identification rules.
import type { AttributeDef, ClassModel } from '../../domain/class-model/types';
import type { Builder } from '../builder';

export function addClassModelTypes(builder: Builder, model: ClassModel) {
  const AttributeDefType = builder.objectRef<AttributeDef>('AttributeDefinition').implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      type: t.exposeString('type'),
      required: t.exposeBoolean('required'),
      values: t.stringList({ nullable: true, resolve: (a) => (a.values ? [...a.values] : null) }),
      description: t.exposeString('description', { nullable: true }),
      declaredBy: t.exposeString('declaredBy', { nullable: true }),
    }),
  });
  const CiClassType = builder.objectRef<{ name: string }>('CiClass').implement({
    description: 'A class of the class model.',
    fields: (t) => ({
      name: t.exposeString('name'),
      parent: t.string({ nullable: true, resolve: (c) => model.get(c.name)?.parent ?? null }),
      abstract: t.boolean({ resolve: (c) => model.get(c.name)?.abstract ?? false }),
      family: t.string({ nullable: true, resolve: (c) => model.family(c.name) ?? null }),
      description: t.string({ nullable: true, resolve: (c) => model.get(c.name)?.description ?? null }),
      attributes: t.field({ type: [AttributeDefType], resolve: (c) => model.classAttributesOf(c.name) }),
      identification: t.stringList({
        description: 'Identification rules in order, each as its attributes joined by "+" (and "within <class>" when scoped).',
        resolve: (c) =>
          model.identificationRules(c.name).map((r) => r.attributes.join('+') + (r.scope ? ` within ${r.scope.parentClass}` : '')),
      }),
    }),
  });
  return { CiClassType };
}
