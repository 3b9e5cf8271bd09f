import type { Faker } from '@faker-js/faker';
import type { EventCategory } from './domain/categories';

/** The body of `POST /api/events`, as the seeding sends it. */
export interface SampleEventInput {
  name: string;
  description: string;
  startTime: string;
  endTime: string;
  timezone: string;
  location: string;
  city: string;
  country: string;
  online: boolean;
  capacity: number;
  categories: EventCategory[];
}

interface City {
  city: string;
  country: string;
  timezone: string;
  venues: string[];
}

/** Real cities with real venues, so the sample platform reads like a real one. */
const cities: City[] = [
  {
    city: 'Berlin',
    country: 'DE',
    timezone: 'Europe/Berlin',
    venues: ['Tempodrom', 'Columbiahalle', 'Kulturbrauerei', 'Festsaal Kreuzberg'],
  },
  { city: 'Hamburg', country: 'DE', timezone: 'Europe/Berlin', venues: ['Elbphilharmonie', 'Mojo Club', 'Fabrik'] },
  { city: 'Munich', country: 'DE', timezone: 'Europe/Berlin', venues: ['Muffathalle', 'Backstage', 'Werksviertel'] },
  {
    city: 'Paris',
    country: 'FR',
    timezone: 'Europe/Paris',
    venues: ['La Cigale', 'Le Trianon', 'Station F', 'Le Bataclan'],
  },
  { city: 'Lyon', country: 'FR', timezone: 'Europe/Paris', venues: ['Le Transbordeur', 'La Sucrière'] },
  {
    city: 'London',
    country: 'GB',
    timezone: 'Europe/London',
    venues: ['Roundhouse', 'Barbican Centre', 'O2 Academy Brixton', 'ExCeL London'],
  },
  { city: 'Manchester', country: 'GB', timezone: 'Europe/London', venues: ['Albert Hall', 'Manchester Central'] },
  { city: 'Amsterdam', country: 'NL', timezone: 'Europe/Amsterdam', venues: ['Paradiso', 'Melkweg', 'RAI Amsterdam'] },
  {
    city: 'Barcelona',
    country: 'ES',
    timezone: 'Europe/Madrid',
    venues: ['Razzmatazz', 'Palau de la Música', 'Fira Gran Via'],
  },
  { city: 'Madrid', country: 'ES', timezone: 'Europe/Madrid', venues: ['La Riviera', 'IFEMA', 'Teatro Real'] },
  {
    city: 'Lisbon',
    country: 'PT',
    timezone: 'Europe/Lisbon',
    venues: ['Coliseu dos Recreios', 'LX Factory', 'Time Out Market'],
  },
  {
    city: 'Dublin',
    country: 'IE',
    timezone: 'Europe/Dublin',
    venues: ['Vicar Street', 'The Convention Centre', 'Whelan’s'],
  },
  {
    city: 'Vienna',
    country: 'AT',
    timezone: 'Europe/Vienna',
    venues: ['Musikverein', 'Arena Wien', 'MuseumsQuartier'],
  },
  { city: 'Prague', country: 'CZ', timezone: 'Europe/Prague', venues: ['Lucerna Music Bar', 'Forum Karlín'] },
  { city: 'Copenhagen', country: 'DK', timezone: 'Europe/Copenhagen', venues: ['Vega', 'Bella Center'] },
  { city: 'Stockholm', country: 'SE', timezone: 'Europe/Stockholm', venues: ['Debaser', 'Fotografiska'] },
  {
    city: 'New York',
    country: 'US',
    timezone: 'America/New_York',
    venues: ['Brooklyn Steel', 'Javits Center', 'Bowery Ballroom', 'Webster Hall'],
  },
  {
    city: 'San Francisco',
    country: 'US',
    timezone: 'America/Los_Angeles',
    venues: ['The Fillmore', 'Moscone Center', 'The Chapel'],
  },
  { city: 'Chicago', country: 'US', timezone: 'America/Chicago', venues: ['Metro', 'McCormick Place', 'Thalia Hall'] },
  {
    city: 'Austin',
    country: 'US',
    timezone: 'America/Chicago',
    venues: ['Stubb’s', 'Austin Convention Center', 'Mohawk'],
  },
  { city: 'Toronto', country: 'CA', timezone: 'America/Toronto', venues: ['Massey Hall', 'The Danforth Music Hall'] },
  { city: 'Montreal', country: 'CA', timezone: 'America/Toronto', venues: ['MTELUS', 'Palais des congrès'] },
  { city: 'Mexico City', country: 'MX', timezone: 'America/Mexico_City', venues: ['Foro Sol', 'Teatro Metropólitan'] },
  { city: 'São Paulo', country: 'BR', timezone: 'America/Sao_Paulo', venues: ['Audio', 'Expo Center Norte'] },
  {
    city: 'Tokyo',
    country: 'JP',
    timezone: 'Asia/Tokyo',
    venues: ['Zepp DiverCity', 'Tokyo Big Sight', 'Blue Note Tokyo'],
  },
  { city: 'Singapore', country: 'SG', timezone: 'Asia/Singapore', venues: ['Esplanade', 'Marina Bay Sands Expo'] },
  { city: 'Sydney', country: 'AU', timezone: 'Australia/Sydney', venues: ['Enmore Theatre', 'ICC Sydney'] },
  {
    city: 'Melbourne',
    country: 'AU',
    timezone: 'Australia/Melbourne',
    venues: ['Forum Melbourne', 'Melbourne Convention Centre'],
  },
  { city: 'Cape Town', country: 'ZA', timezone: 'Africa/Johannesburg', venues: ['Artscape Theatre', 'CTICC'] },
];

interface CategoryStyle {
  names: ((subject: string, city: string) => string)[];
  subjects: string[];
  hours: [number, number];
  capacity: [number, number];
  pitch: string[];
}

const styles: Record<Exclude<EventCategory, 'other'>, CategoryStyle> = {
  music: {
    names: [
      (s, c) => `${c} ${s} Night`,
      (s) => `${s} Live`,
      (s, c) => `${s} Festival ${c}`,
      (s) => `An Evening of ${s}`,
    ],
    subjects: ['Jazz', 'Indie Rock', 'Techno', 'Classical', 'Hip-Hop', 'Folk', 'Soul & Funk', 'Blues', 'Electronica'],
    hours: [3, 8],
    capacity: [150, 3000],
    pitch: [
      'Live sets from local and touring artists.',
      'Doors open an hour before the first act.',
      'Standing room with a bar at the back.',
    ],
  },
  conference: {
    names: [(s) => `${s} Summit`, (s, c) => `${s} Conference ${c}`, (s) => `${s} Days`],
    subjects: [
      'Product Leadership',
      'Data Engineering',
      'Climate Tech',
      'Future of Work',
      'Cloud Native',
      'UX Research',
    ],
    hours: [8, 10],
    capacity: [200, 2500],
    pitch: [
      'Two tracks of talks, hands-on workshops and long coffee breaks.',
      'Speakers from companies large and small share what worked and what did not.',
    ],
  },
  sports: {
    names: [(s, c) => `${c} ${s}`, (s) => `${s} Open`, (s, c) => `${s} Cup ${c}`],
    subjects: ['Half Marathon', 'City Run', '5K Fun Run', 'Padel Tournament', 'Climbing Jam', 'Cycling Tour'],
    hours: [3, 6],
    capacity: [100, 5000],
    pitch: [
      'All levels welcome; timing chips included.',
      'Start and finish at the same spot, with showers and a recovery area.',
    ],
  },
  arts: {
    names: [(s) => `${s}: Opening Night`, (s, c) => `${c} ${s}`, (s) => `${s} Exhibition`],
    subjects: ['Contemporary Photography', 'Street Art', 'Modern Dance', 'Sculpture', 'Printmaking', 'Poetry Slam'],
    hours: [2, 4],
    capacity: [40, 400],
    pitch: [
      'Meet the artists and see the works before the public opening.',
      'A guided walk through the collection, followed by drinks.',
    ],
  },
  food: {
    names: [(s, c) => `${c} ${s}`, (s) => `${s} Tasting`, (s) => `${s} Supper Club`],
    subjects: ['Street Food Market', 'Natural Wine', 'Ramen', 'Craft Beer', 'Cheese & Charcuterie', 'Vegan Brunch'],
    hours: [2, 5],
    capacity: [30, 800],
    pitch: [
      'Tastings from a dozen producers, with the people who make it.',
      'Seasonal dishes, shared tables and a short talk from the chef.',
    ],
  },
  tech: {
    names: [(s, c) => `${s} Meetup ${c}`, (s) => `${s} Hack Night`, (s) => `${s} Workshop`],
    subjects: ['TypeScript', 'Rust', 'PostgreSQL', 'Kubernetes', 'Machine Learning', 'Web Performance', 'Open Source'],
    hours: [2, 4],
    capacity: [30, 300],
    pitch: ['Two talks, lightning demos and pizza.', 'Bring a laptop: we pair up and build something small together.'],
  },
  business: {
    names: [(s) => `${s} Breakfast`, (s, c) => `${c} ${s} Forum`, (s) => `${s} Masterclass`],
    subjects: ['Founders', 'Fundraising', 'Sales Leadership', 'Women in Business', 'Scale-up', 'Negotiation'],
    hours: [2, 6],
    capacity: [25, 500],
    pitch: [
      'Practical advice from people who have done it, and time to meet peers.',
      'A moderated panel followed by small-group discussions.',
    ],
  },
  community: {
    names: [(s, c) => `${c} ${s}`, (s) => `${s} Day`, (s) => `Neighbourhood ${s}`],
    subjects: [
      'Park Clean-up',
      'Repair Café',
      'Board Game Night',
      'Language Exchange',
      'Community Garden',
      'Flea Market',
    ],
    hours: [2, 5],
    capacity: [20, 300],
    pitch: ['Free to join; bring a friend.', 'Organised by volunteers from the neighbourhood for the neighbourhood.'],
  },
  education: {
    names: [(s) => `Intro to ${s}`, (s) => `${s} Bootcamp`, (s, c) => `${s} Course ${c}`],
    subjects: ['Photography', 'Public Speaking', 'Data Analysis', 'Watercolour', 'Creative Writing', 'First Aid'],
    hours: [3, 7],
    capacity: [10, 60],
    pitch: [
      'Small groups, plenty of practice and a certificate at the end.',
      'No experience needed; all materials provided.',
    ],
  },
};

const styledCategories = Object.keys(styles) as Exclude<EventCategory, 'other'>[];

/**
 * Realistic event bodies for seeding through the API: names and descriptions that fit their category,
 * real venues in real cities with their time zones, start times on the hour over the coming four
 * months (from tomorrow), durations and capacities that suit the kind of event, and about one in ten online.
 */
export function sampleEvents(faker: Faker, count: number): SampleEventInput[] {
  return Array.from({ length: count }, () => sampleEvent(faker));
}

function sampleEvent(faker: Faker): SampleEventInput {
  const category = faker.helpers.arrayElement(styledCategories);
  const style = styles[category];
  const place = faker.helpers.arrayElement(cities);
  const subject = faker.helpers.arrayElement(style.subjects);
  const online = faker.datatype.boolean({ probability: 0.1 }) && category !== 'sports' && category !== 'food';
  // From tomorrow on, so rounding down to the hour never lands in the past.
  const start = faker.date.soon({ days: 120, refDate: Date.now() + 86_400_000 });
  start.setUTCMinutes(0, 0, 0);
  const end = new Date(start.getTime() + faker.number.int({ min: style.hours[0], max: style.hours[1] }) * 3_600_000);
  const venue = faker.helpers.arrayElement(place.venues);
  const extra = faker.helpers.maybe(() => faker.helpers.arrayElement(['community', 'education', 'business', 'arts']), {
    probability: 0.3,
  }) as EventCategory | undefined;
  const capacity = faker.number.int({ min: style.capacity[0], max: style.capacity[1] });
  return {
    name: faker.helpers.arrayElement(style.names)(subject, place.city),
    description: [
      `${subject} in ${place.city}${online ? ', streamed live' : ` at ${venue}`}.`,
      faker.helpers.arrayElement(style.pitch),
      `${faker.company.catchPhrase()}.`,
      `Hosted by ${faker.company.name()}.`,
    ].join(' '),
    startTime: start.toISOString(),
    endTime: end.toISOString(),
    timezone: place.timezone,
    location: online ? 'Online' : `${venue}, ${faker.location.streetAddress()}`,
    city: place.city,
    country: place.country,
    online,
    capacity: Math.round(capacity / 10) * 10 || 10,
    categories: extra && extra !== category ? [category, extra] : [category],
  };
}
