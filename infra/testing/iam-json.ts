/**
 * Renders `aws.iam.getPolicyDocument` inputs as the IAM JSON AWS would return, so
 * inline policies created under the mocks carry their real statements.
 */

interface DocCondition {
  test: string;
  variable: string;
  values: string[];
}
interface DocPrincipal {
  type: string;
  identifiers: string[];
}
export interface DocStatement {
  sid?: string;
  effect?: string;
  actions?: string[];
  resources?: string[];
  principals?: DocPrincipal[];
  conditions?: DocCondition[];
}

/** One IAM statement in AWS JSON form. */
export interface IamStatement {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * @example
 * policyDocumentJson({ statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }] });
 * // '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],...}]}'
 */
export function policyDocumentJson(inputs: { statements?: DocStatement[] }): string {
  const statements: IamStatement[] = (inputs.statements ?? []).map((s) => {
    const out: IamStatement = { Effect: s.effect ?? "Allow" };
    if (s.sid) out.Sid = s.sid;
    if (s.actions) out.Action = s.actions;
    if (s.resources) out.Resource = s.resources;
    if (s.principals) {
      out.Principal = Object.fromEntries(s.principals.map((p) => [p.type, p.identifiers]));
    }
    if (s.conditions) {
      const condition: Record<string, Record<string, string[]>> = {};
      for (const c of s.conditions) {
        condition[c.test] = { ...condition[c.test], [c.variable]: c.values };
      }
      out.Condition = condition;
    }
    return out;
  });
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
