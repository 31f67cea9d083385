package generate

// Vocabulary for names. Locations and user agents are the kinds found in the
// public sample; the words are ordinary ones.

var firstNamesF = []string{"Adelyn", "Aleena", "Alivia", "Amiya", "Anabelle", "Andrea", "Ann", "Ava",
	"Avery", "Ayla", "Ayleen", "Cecilia", "Celeste", "Chloe", "Cienna", "Cierra", "Emily", "Evelin",
	"Gianna", "Hannah", "Harper", "Jacqueline", "Jaleah", "Jizelle", "Jordyn", "Kate", "Katherine",
	"Kaylee", "Kimber", "Kinsley", "Kynnedi", "Layla", "Lily", "Magdalene", "Maia", "Makinley",
	"Marina", "Molly", "Ryann", "Sara", "Shakira", "Sienna", "Stefany", "Sylvie", "Tegan", "Zoe",
	"Mia", "Nora", "Ruby", "Stella"}

var firstNamesM = []string{"Adler", "Aiden", "Austin", "Braden", "Brantley", "Brayden", "Bronson",
	"Carlos", "Christian", "Colm", "Connar", "Devin", "Dominick", "Dustin", "Elijah", "Isaac", "Jacob",
	"Jahiem", "James", "Jayden", "Jordan", "Joseph", "Kaleb", "Kevin", "Martin", "Matthew", "Mohammad",
	"Morris", "Noah", "Preston", "Ryan", "Rylan", "Samuel", "Sean", "Theodore", "Tucker", "Walter",
	"Wyatt", "Zachary", "Owen", "Lucas", "Henry", "Miles", "Felix"}

var lastNames = []string{"Arellano", "Ayala", "Banks", "Barrera", "Barrett", "Bell", "Benjamin", "Benson",
	"Brock", "Burke", "Burns", "Butler", "Calhoun", "Carter", "Chavez", "Clark", "Colon", "Cook", "Cooper",
	"Cruz", "Cuevas", "Davidson", "Davis", "Duffy", "Finley", "Fox", "Freeman", "Frye", "Garrison", "Gay",
	"George", "Gilmore", "Gonzalez", "Graves", "Griffin", "Gutierrez", "Harrell", "Harris", "Hayes",
	"Herman", "Hess", "Hicks", "Hunt", "Johnson", "Jones", "Kirby", "Klein", "Koch", "Larson", "Lee",
	"Levine", "Lynch", "Martinez", "Miles", "Moreno", "Norris", "Owens", "Parker", "Porter", "Powell",
	"Ramirez", "Robinson", "Rodriguez", "Rogers", "Rosales", "Roth", "Sanchez", "Sanders", "Santana",
	"Scott", "Simpson", "Smith", "Summers", "Sutton", "Taylor", "Terrell", "Thomas", "Valdez", "Watkins",
	"West", "White", "Williams", "Wilson", "Wise", "Young"}

var userLocations = []string{"Atlanta-Sandy Springs-Roswell, GA", "Augusta-Richmond County, GA-SC",
	"Birmingham-Hoover, AL", "Cedar Rapids, IA", "Chicago-Naperville-Elgin, IL-IN-WI", "Columbia, SC",
	"Dallas-Fort Worth-Arlington, TX", "Detroit-Warren-Dearborn, MI", "Elkhart-Goshen, IN", "Eugene, OR",
	"Harrisburg-Carlisle, PA", "Houston-The Woodlands-Sugar Land, TX", "Indianapolis-Carmel-Anderson, IN",
	"Janesville-Beloit, WI", "Klamath Falls, OR", "La Crosse-Onalaska, WI-MN", "Lake Havasu City-Kingman, AZ",
	"Lansing-East Lansing, MI", "Las Cruces, NM", "Los Angeles-Long Beach-Anaheim, CA", "Lubbock, TX",
	"Miami-Fort Lauderdale-West Palm Beach, FL", "Milwaukee-Waukesha-West Allis, WI",
	"Minneapolis-St. Paul-Bloomington, MN-WI", "Nashville-Davidson--Murfreesboro--Franklin, TN",
	"New Haven-Milford, CT", "New Orleans-Metairie, LA", "New York-Newark-Jersey City, NY-NJ-PA",
	"Ogden-Clearfield, UT", "Philadelphia-Camden-Wilmington, PA-NJ-DE-MD", "Phoenix-Mesa-Scottsdale, AZ",
	"Portland-South Portland, ME", "Portland-Vancouver-Hillsboro, OR-WA", "Raleigh, NC", "Richmond, VA",
	"Sacramento--Roseville--Arden-Arcade, CA", "Salt Lake City, UT", "San Antonio-New Braunfels, TX",
	"San Diego-Carlsbad, CA", "San Francisco-Oakland-Hayward, CA", "San Jose-Sunnyvale-Santa Clara, CA",
	"Seattle-Tacoma-Bellevue, WA", "St. Louis, MO-IL", "Tampa-St. Petersburg-Clearwater, FL",
	"Washington-Arlington-Alexandria, DC-VA-MD-WV", "Waterloo-Cedar Falls, IA", "Winston-Salem, NC"}

// userAgents as the browsers sent them; the logs put quotes around those
// with a comma, CSV-style (see quoteAgent).
var userAgents = []string{
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.78.2 (KHTML, like Gecko) Version/7.0.6 Safari/537.78.2",
	"Mozilla/5.0 (Windows NT 5.1; rv:31.0) Gecko/20100101 Firefox/31.0",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/36.0.1985.125 Chrome/36.0.1985.125 Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.94 Safari/537.36",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.9; rv:31.0) Gecko/20100101 Firefox/31.0",
	"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36",
	"Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36",
	"Mozilla/5.0 (Windows NT 6.1; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53",
	"Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
	"Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0)",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10) AppleWebKit/538.46 (KHTML, like Gecko) Version/8.0 Safari/538.46",
	"Mozilla/5.0 (X11; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0",
	"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/37.0.2062.103 Safari/537.36",
}

var artistLocations = []string{"Beaumont, TX", "Beverly Hills, CA", "Burlington, Ontario, Canada",
	"California - LA", "California - SF", "Chicago, IL", "Denmark", "Dubai UAE", "Fort Worth, TX",
	"Gainesville, FL", "Georgia", "Hamilton, Ohio", "Houston, TX", "London, England", "Memphis, TN",
	"Nashville, TN.", "New York, NY", "New York, NY [Manhattan]", "Newark, NJ", "North Carolina",
	"Orlando, FL", "Panama", "Queens, NY", "Seattle, Washington USA", "Toronto, Ontario, Canada",
	"United States", "Zagreb Croatia", "Reykjavík, Iceland", "Montréal, Québec", "São Paulo, Brazil",
	"Berlin, Germany", "Paris, France", "Kingston, Jamaica", "Detroit, MI", "Los Angeles, CA"}

var titleWords = []string{"Love", "Night", "Heart", "Fire", "Dream", "Rain", "Summer", "Gun", "Loaded",
	"Wild", "Rose", "Higher", "Place", "Blue", "Road", "Home", "Girl", "Boy", "City", "Lights", "Dance",
	"Shadow", "River", "Stone", "Gold", "Silver", "Ghost", "Angel", "Devil", "Moon", "Sun", "Star", "Time",
	"Money", "Soul", "Rock", "Baby", "Crazy", "Broken", "Sweet", "Cold", "Hot", "Free", "Lost", "Young",
	"Forever", "Tonight", "Morning", "Revelry", "Undo", "Tonne", "Thunder", "Ocean", "Kingdom", "Mirror",
	"Paper", "Glass", "Electric", "Radio", "Highway", "Secret", "Holy", "Midnight", "Velvet", "Echo"}

var titleGlue = []string{"Like A", "Of The", "In The", "For", "And", "On My", "To", "With", "Without", "Under The"}

var titleSuffixes = []string{"(Album Version)", "(Live)", "(Remix)", "(Radio Edit)", "(Acoustic)",
	"(DJ Volume Remix)", "(Back 2 Basics Mix)", "(Remastered)", "(Demo)", "(Instrumental)"}

// accented words give names with non-ASCII characters, escaped \uXXXX in
// the files.
var accentedWords = []string{"Café", "Señorita", "Corazón", "Mañana", "Björk", "Déjà Vu", "Für Dich",
	"Niño", "Canción", "¿Dónde", "Santafè", "Caballé", "Rosé", "Alizée", "Beyoncé", "Élan", "Noël",
	"Ça Va", "Über", "Sjöberg", "Mötley", "Zoë", "Ñandú", "Amnistía", "Aló", "Ryzé", "Vacío", "Fiesta Olé"}

var bandNouns = []string{"Rain", "Rockers", "Manolos", "Status", "Volta", "Trio", "Kings", "Wolves",
	"Machines", "Saints", "Lions", "Horses", "Brothers", "Sisters", "Ghosts", "Pilots", "Drivers",
	"Monkeys", "Strokes", "Lips", "Keys", "Doors", "Hearts", "Engines", "Satellites", "Echoes"}

var bandAdjectives = []string{"Steel", "Bombay", "Electric", "Black", "Flaming", "Arctic", "Velvet",
	"Golden", "Silver", "Crystal", "Midnight", "Neon", "Broken", "Wild", "Holy", "Radio", "Atomic",
	"Cosmic", "Royal", "Mars", "Tamba", "Rolling", "Sonic", "Lazy", "Modern"}
