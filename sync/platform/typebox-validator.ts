import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

/**
 * Every request part is checked by TypeBox, the validator the kiosk uses too. Bodies are taken
 * exactly as written (no type coercion, no silent removal of unknown fields); query strings and
 * params are converted first, since "?seq=5" arrives as text.
 */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = Compile(schema);
  const convert = httpPart !== 'body';
  const part = httpPart ?? 'body';
  return (input: unknown) => {
    const data = convert ? Value.Convert(schema, input) : input;
    if (validator.Check(data)) return { value: data };
    const first = validator.Errors(data)[0];
    const where = first?.instancePath ? `${part}${first.instancePath.replace(/\//g, '.')}` : part;
    return { error: new Error(`${where} ${first?.message ?? 'is not valid'}`) };
  };
};
