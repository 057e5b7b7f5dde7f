import { isPermissionGranted, requestPermission, sendNotification } from '@tauri-apps/plugin-notification';

/**
 * Shows `title` (and `body`) in the operating system's notification area, asking for the
 * permission the first time. Resolves false when the system has no notification service or the
 * person refused: the alert is then only in the app.
 */
export async function osAlert(title: string, body: string | null): Promise<boolean> {
  try {
    let granted = await isPermissionGranted();
    if (!granted) granted = (await requestPermission()) === 'granted';
    if (!granted) return false;
    sendNotification(body ? { title, body } : { title });
    return true;
  } catch {
    return false;
  }
}
