import { useEffect, useState } from 'react';

/**
 * A ticket code as a QR image. The encoder is loaded on first use so pages without tickets do not
 * pay for it; the result is an SVG data URL (allowed by the gateway's `img-src data:`).
 */
export function QrCode({ value, label, size = 160 }: { value: string; label: string; size?: number }) {
  const [source, setSource] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let current = true;
    import('qrcode')
      .then((qrcode) => qrcode.toString(value, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }))
      .then((svg) => {
        if (current) setSource(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      .catch(() => {
        if (current) setFailed(true);
      });
    return () => {
      current = false;
    };
  }, [value]);
  if (failed) return <p className="hint">QR code unavailable; show the code {value} instead.</p>;
  if (!source)
    return (
      <div
        className="qr-placeholder"
        style={{ width: size, height: size }}
        role="img"
        aria-label={`${label} (loading)`}
      />
    );
  return <img className="qr" src={source} width={size} height={size} alt={label} data-qr-value={value} />;
}
