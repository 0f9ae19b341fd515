// Toolbar icons as inline SVG (no icon font, nothing fetched). Drawn on a 16×16 grid with
// currentColor so they follow the theme; the capture icons keep Wireshark's colours (blue fin
// to start, red square to stop, green arrow to restart).
import type { ReactElement } from 'react';

function Svg({ children }: { children: ReactElement | ReactElement[] }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export const OpenIcon = () => (
  <Svg>
    <path d="M1.5 3.5h4l1.5 1.5h7v8h-12.5z" fill="none" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round" />
  </Svg>
);

export const SaveIcon = () => (
  <Svg>
    <path d="M2.5 2.5h9l2 2v9h-11z" fill="none" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round" />
    <path d="M5 2.5v3.5h5v-3.5M4.5 13.5v-4h7v4" fill="none" stroke="currentColor" strokeWidth="1.2" />
  </Svg>
);

export const KeyIcon = () => (
  <Svg>
    <circle cx="5" cy="8" r="2.8" fill="none" stroke="currentColor" strokeWidth="1.3" />
    <path d="M7.8 8h6.2M12 8v2.5M14 8v2" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
  </Svg>
);

export const CloseIcon = () => (
  <Svg>
    <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
  </Svg>
);

export const StartIcon = () => (
  <Svg>
    <path d="M2 13.5c3-1 5.5-5 6-11.5 2.5 3 5 7.5 6 11.5z" fill="#3b82d6" stroke="#1d5fa8" strokeWidth="0.8" strokeLinejoin="round" />
  </Svg>
);

export const StopIcon = () => (
  <Svg>
    <rect x="3" y="3" width="10" height="10" rx="1" fill="#d9423a" stroke="#a5291f" strokeWidth="0.8" />
  </Svg>
);

export const RestartIcon = () => (
  <Svg>
    <path d="M12.5 8a4.5 4.5 0 1 1-1.3-3.2" fill="none" stroke="#2f9e44" strokeWidth="1.6" strokeLinecap="round" />
    <path d="M12.5 2.2v3.3h-3.3z" fill="#2f9e44" />
  </Svg>
);

export const OptionsIcon = () => (
  <Svg>
    <circle cx="8" cy="8" r="2.2" fill="none" stroke="currentColor" strokeWidth="1.2" />
    <path
      d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4"
      stroke="currentColor"
      strokeWidth="1.2"
      strokeLinecap="round"
    />
  </Svg>
);

export const GoToIcon = () => (
  <Svg>
    <path d="M2 8h9M8 4.5l3.5 3.5-3.5 3.5M13.5 3v10" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round" />
  </Svg>
);

export const FollowIcon = () => (
  <Svg>
    <path d="M2 5h9l-2-2M14 11h-9l2 2" fill="none" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round" />
  </Svg>
);

export const AutoScrollIcon = () => (
  <Svg>
    <path d="M3 3h10M3 6h10M3 9h6M11 9v5M8.8 11.8l2.2 2.2 2.2-2.2" fill="none" stroke="currentColor" strokeWidth="1.2" strokeLinecap="round" strokeLinejoin="round" />
  </Svg>
);

export const ThemeIcon = ({ dark }: { dark: boolean }) =>
  dark ? (
    <Svg>
      <circle cx="8" cy="8" r="3" fill="none" stroke="currentColor" strokeWidth="1.2" />
      <path d="M8 1.5v1.5M8 13v1.5M1.5 8H3M13 8h1.5M3.4 3.4l1 1M11.6 11.6l1 1M3.4 12.6l1-1M11.6 4.4l1-1" stroke="currentColor" strokeWidth="1.2" strokeLinecap="round" />
    </Svg>
  ) : (
    <Svg>
      <path d="M13 10A5.5 5.5 0 0 1 6 3a5.5 5.5 0 1 0 7 7z" fill="none" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round" />
    </Svg>
  );

export const ApplyIcon = () => (
  <Svg>
    <path d="M3 8h9M9 4.5l3.5 3.5-3.5 3.5" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" />
  </Svg>
);

export const ClearIcon = () => (
  <Svg>
    <circle cx="8" cy="8" r="6" fill="currentColor" opacity="0.25" />
    <path d="M5.8 5.8l4.4 4.4M10.2 5.8l-4.4 4.4" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" />
  </Svg>
);

export const FilterIcon = () => (
  <Svg>
    <path d="M2 3h12l-4.5 5.5v4.5l-3-1.5v-3z" fill="none" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round" />
  </Svg>
);
