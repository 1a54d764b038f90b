/** Every pump, filtered; and the recall look-up. */
export function DevicesScreen() {
  return null;
}
