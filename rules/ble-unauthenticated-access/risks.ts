/** What an open characteristic or an unauthenticated pairing lets a stranger do, said the same way in every message. */
export const WRITE_RISK =
  'any phone in radio range can then write it without pairing, so dose, mode or configuration commands can be sent by a stranger';
export const NO_MITM =
  "an attacker in radio range can then pair in the clinician app's place or relay its connection and read or change what it sends";
