import { createContext, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { Language } from '../../electron/kiosk-api.ts';
import { createPageVoice, type GuideVoice } from './guide.ts';

/**
 * How the resident wants the kiosk to look and sound: high contrast, larger text, the audio guide
 * and its volume. Page-local (the host keeps nothing of it) and reset when a session ends, like
 * the language, so the next resident starts from the plain screens.
 */
export interface Accessibility {
  contrast: boolean;
  largeText: boolean;
  /** The audio guide is on: each screen's instruction is spoken, and each PIN key as "digit entered". */
  guide: boolean;
  /** 0–1 */
  volume: number;
  toggleContrast(): void;
  toggleLargeText(): void;
  setVolume(volume: number): void;
  /** Turns the guide on and speaks `line` (the current screen's instruction). */
  speak(line: string, language: Language): void;
  /** Speaks a line only while the guide is on (feedback such as "digit entered"). */
  tell(line: string, language: Language): void;
}

export const DEFAULT_VOLUME = 0.8;

const AccessibilityContext = createContext<Accessibility | null>(null);

export function AccessibilityProvider({
  sessionOpen,
  voice,
  children,
}: {
  /** False between residents: every setting goes back to its default. */
  sessionOpen: boolean;
  voice?: GuideVoice;
  children: ReactNode;
}) {
  const [contrast, setContrast] = useState(false);
  const [largeText, setLargeText] = useState(false);
  const [guide, setGuide] = useState(false);
  const [volume, setVolume] = useState(DEFAULT_VOLUME);
  const pageVoice = useRef<GuideVoice | null>(null);
  const speaker = (): GuideVoice => voice ?? (pageVoice.current ??= createPageVoice(window));
  const wasOpen = useRef(sessionOpen);

  // A session that ends takes its settings with it.
  useEffect(() => {
    if (wasOpen.current && !sessionOpen) {
      setContrast(false);
      setLargeText(false);
      setGuide(false);
      setVolume(DEFAULT_VOLUME);
      (voice ?? pageVoice.current)?.hush();
    }
    wasOpen.current = sessionOpen;
  }, [sessionOpen, voice]);

  // The modes are styles on the whole page (styles.css: [data-contrast], [data-text]).
  useEffect(() => {
    const root = document.documentElement;
    if (contrast) root.dataset.contrast = 'high';
    else delete root.dataset.contrast;
    if (largeText) root.dataset.text = 'large';
    else delete root.dataset.text;
  }, [contrast, largeText]);

  const value = useMemo<Accessibility>(
    () => ({
      contrast,
      largeText,
      guide,
      volume,
      toggleContrast: () => setContrast((on) => !on),
      toggleLargeText: () => setLargeText((on) => !on),
      setVolume: (next) => setVolume(Math.min(1, Math.max(0, next))),
      speak(line, language) {
        setGuide(true);
        speaker().say(line, language, volume);
      },
      tell(line, language) {
        if (guide) speaker().say(line, language, volume);
      },
    }),
    // speaker() reads the injected voice or the page's, created once.
    [contrast, largeText, guide, volume, voice],
  );

  return <AccessibilityContext.Provider value={value}>{children}</AccessibilityContext.Provider>;
}

const SILENT: Accessibility = {
  contrast: false,
  largeText: false,
  guide: false,
  volume: DEFAULT_VOLUME,
  toggleContrast: () => undefined,
  toggleLargeText: () => undefined,
  setVolume: () => undefined,
  speak: () => undefined,
  tell: () => undefined,
};

/** The resident's display and audio settings (plain and silent outside a provider). */
export function useAccessibility(): Accessibility {
  return useContext(AccessibilityContext) ?? SILENT;
}
