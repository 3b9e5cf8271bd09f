import { useEffect, useRef, useState } from 'react';

/** The part of the Barcode Detection API used here (Chromium on Android and desktop, Safari TP). */
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type BarcodeDetectorConstructor = new (options: { formats: string[] }) => BarcodeDetectorLike;

function barcodeDetector(): BarcodeDetectorConstructor | null {
  const candidate = (globalThis as { BarcodeDetector?: BarcodeDetectorConstructor }).BarcodeDetector;
  return typeof candidate === 'function' && typeof navigator.mediaDevices?.getUserMedia === 'function'
    ? candidate
    : null;
}

export function cameraScanningSupported(): boolean {
  return barcodeDetector() !== null;
}

/** Same code again within this window is the same ticket still in front of the camera. */
const repeatWindowMs = 3_000;
const scanEveryMs = 250;

/**
 * Reads QR codes from the rear camera with the browser's own detector: no decoder shipped to the
 * page. Where the browser has none, the check-in page offers only the typed code.
 */
export function QrScanner({ onCode, onStop }: { onCode(code: string): void; onStop(): void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;

  useEffect(() => {
    const Detector = barcodeDetector();
    if (!Detector) {
      setError('This browser cannot scan codes; type them instead.');
      return;
    }
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let last = { code: '', at: 0 };
    const detector = new Detector({ formats: ['qr_code'] });

    const scan = async () => {
      if (stopped || !video.current) return;
      try {
        const found = await detector.detect(video.current);
        const code = found[0]?.rawValue?.trim();
        const now = Date.now();
        if (code && (code !== last.code || now - last.at > repeatWindowMs)) {
          last = { code, at: now };
          onCodeRef.current(code);
        }
      } catch {
        // A frame that is not ready yet; the next one will do.
      }
      timer = setTimeout(scan, scanEveryMs);
    };

    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (media) => {
        if (stopped) {
          for (const track of media.getTracks()) track.stop();
          return;
        }
        stream = media;
        if (!video.current) return;
        video.current.srcObject = media;
        await video.current.play();
        void scan();
      })
      .catch(() => setError('The camera is not available. Allow camera access, or type the code.'));

    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, []);

  return (
    <div className="scanner">
      {error ? (
        <p className="form-alert error" role="alert">
          {error}
        </p>
      ) : (
        <video ref={video} muted playsInline aria-label="Camera preview for scanning ticket QR codes" />
      )}
      <button type="button" className="button secondary" onClick={onStop}>
        Stop camera
      </button>
    </div>
  );
}
