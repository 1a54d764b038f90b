/** Clinic settings, drug list and device catalog. */
export function SettingsScreen() {
  return null;
}
