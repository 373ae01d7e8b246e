/** asl-validator 4 ships no types; this is the part the tests use. */
declare module "asl-validator" {
  interface AslValidationResult {
    readonly isValid: boolean;
    readonly errors: ReadonlyArray<{ readonly "Error code": string; readonly Message: string }>;
  }
  const validate: (definition: unknown) => AslValidationResult;
  export default validate;
}
