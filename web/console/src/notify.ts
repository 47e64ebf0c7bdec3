// Opt-in desktop notifications and a short sound for new chats, customer messages and hand-overs.
// Off by default; the choice is kept in this browser. The sound is synthesised (no audio file).
import { useCallback, useRef, useState } from 'preact/hooks';

const KEY = 'guanxi.console.alerts';

function stored(): boolean {
  return localStorage.getItem(KEY) === 'on';
}

export function useAlertSettings() {
  const [enabled, setState] = useState(stored());
  // What live events read: switched at once, not on the next render, so an event that arrives
  // right after the switch is already alerted (a listener holding the rendered value missed it).
  const current = useRef(enabled);
  const setEnabled = useCallback(async (next: boolean) => {
    if (next && 'Notification' in window && Notification.permission === 'default') {
      await Notification.requestPermission();
    }
    localStorage.setItem(KEY, next ? 'on' : 'off');
    current.current = next;
    setState(next);
  }, []);
  const isEnabled = useCallback(() => current.current, []);
  return { enabled, setEnabled, isEnabled };
}

let audio: AudioContext | null = null;

function chime(): void {
  audio ??= new AudioContext();
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  oscillator.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start();
  oscillator.stop(audio.currentTime + 0.4);
}

/** Plays the chime and, when the tab is in the background and the browser allows it, shows a notification. */
export function notifyDesktop(title: string, body: string): void {
  chime();
  if (document.visibilityState === 'visible') return;
  if ('Notification' in window && Notification.permission === 'granted') new Notification(title, { body });
}
