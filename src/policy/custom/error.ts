/** The error of everything about custom policies: a message for the user, never a stack trace. */
export class CustomPolicyError extends Error {
  override name = "CustomPolicyError";
}
