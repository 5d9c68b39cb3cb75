// Loaded with the first live alert, not with the board.
import { ElNotification } from "element-plus";
export { ElNotification };
import "element-plus/es/components/notification/style/css";

// What the layout does for an escalation arriving live: here rather than in the layout, which loads
// with the board (at its size budget).
export function announceAlert(t: (key: string, values?: Record<string, unknown>) => string, title: string, sound: boolean): void {
  ElNotification({ title: t("alerts.heading"), message: t("alerts.newAlert", { title }), type: "warning", duration: 6000 });
  if (sound) beep();
}

function beep(): void {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.08;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.25);
  } catch {
    // No sound where the browser allows none yet (no user gesture): the badge still shows.
  }
}
