// AirPlay devices announce Apple's model identifier (TXT `model`/`am`, e.g. "AppleTV3,2"); people
// know them by their product names. Identifiers as pyatv lists them (pyatv/support/device_info.py),
// names as Apple's support pages give them.
const NAMES: Record<string, string> = {
  'AppleTV2,1': 'Apple TV (2nd generation)',
  'AppleTV3,1': 'Apple TV (3rd generation)',
  'AppleTV3,2': 'Apple TV (3rd generation)',
  'AppleTV5,3': 'Apple TV HD',
  'AppleTV6,2': 'Apple TV 4K',
  'AppleTV11,1': 'Apple TV 4K (2nd generation)',
  'AppleTV14,1': 'Apple TV 4K (3rd generation)',
  'AudioAccessory1,1': 'HomePod',
  'AudioAccessory1,2': 'HomePod',
  'AudioAccessory5,1': 'HomePod mini',
  'AudioAccessory6,1': 'HomePod (2nd generation)',
  'AirPort4,107': 'AirPort Express',
  'AirPort10,115': 'AirPort Express (2nd generation)',
  // shairport-sync's `am`
  ShairportSync: 'Shairport Sync',
};

/** The product name for a model identifier, or undefined when the table does not know it. */
export function modelName(model: string | null | undefined): string | undefined {
  const m = model?.trim();
  return m ? NAMES[m] : undefined;
}
