package generate

import (
	"math"
	"math/rand/v2"

	"github.com/sparkify/sparkify/internal/record"
)

// catalogSong is one song file: the song and the track it is filed under.
type catalogSong struct {
	TrackID string
	Song    record.Song
}

// tune is what a NextSong event says was played.
type tune struct {
	Title, Artist string
	Length        float64
}

// catalog holds the generated songs and the songs users play that are not
// in them ("off-catalog", most plays of the real logs), each with a Zipf
// popularity so a few songs are played far more than the rest.
type catalog struct {
	Songs      []catalogSong
	OffCatalog []tune
	songPick   *weighted
	offPick    *weighted
}

type artist struct {
	ID, Name string
	Location record.NullString
	Lat, Lon record.NullFloat
}

// Popularity: weight 1/(rank+popularityQ)^popularityS. The most played
// song gets about 1% of the plays, the median one a few.
const (
	popularityS = 1.0
	popularityQ = 10
)

func newCatalog(o Options) *catalog {
	seen := map[string]struct{}{}
	artists := makeArtists(newRand(o.Seed, "artists", 0), o.Artists, seen)
	c := &catalog{Songs: make([]catalogSong, o.Songs)}
	r := newRand(o.Seed, "songs", 0)
	// Every artist has a song; the rest go to artists by a skewed weight, so
	// some artists have many songs.
	byArtist := newWeighted(zipfWeights(len(artists), 0.7, 0))
	keys := make(map[tune]struct{}, o.Songs)
	for i := range c.Songs {
		a := &artists[i%len(artists)]
		if i >= len(artists) {
			a = &artists[byArtist.draw(r)]
		}
		s := record.Song{
			NumSongs:        record.NullInt{I: 1, Valid: true},
			ArtistID:        a.ID,
			ArtistLatitude:  a.Lat,
			ArtistLongitude: a.Lon,
			ArtistLocation:  a.Location,
			ArtistName:      a.Name,
			SongID:          uniqueID(r, seen, "SO", upperLetters),
			Title:           makeTitle(r),
			Duration:        songLength(r),
			Year:            record.NullInt{Valid: true},
		}
		if r.Float64() >= 0.6 { // most songs of the real set have year 0
			s.Year.I = int64(2010 - int(math.Abs(r.NormFloat64())*14))
		}
		// Track ids start TRA, as in the real song data (all of it is filed
		// under song_data/A/), which keeps the folders to 26 x 26.
		c.Songs[i] = catalogSong{TrackID: uniqueID(r, seen, "TRA", upperLetters), Song: s}
		keys[tune{s.Title, s.ArtistName, s.Duration}] = struct{}{}
	}
	c.songPick = newWeighted(zipfWeights(len(c.Songs), popularityS, popularityQ))
	c.OffCatalog = makeOffCatalog(newRand(o.Seed, "offcatalog", 0), max(500, 2*o.Songs), artists, keys)
	c.offPick = newWeighted(zipfWeights(len(c.OffCatalog), popularityS, popularityQ))
	return c
}

// makeArtists invents n artists: about 40% with no location and half with no
// coordinates, a few names with accents and a few already garbled.
func makeArtists(r *rand.Rand, n int, seen map[string]struct{}) []artist {
	out := make([]artist, n)
	for i := range out {
		a := artist{ID: uniqueID(r, seen, "AR", upperAlnum), Name: makeArtistName(r)}
		if r.IntN(50) == 0 && !isASCII(a.Name) {
			a.Name = misdecode(a.Name)
		}
		if r.Float64() >= 0.4 {
			a.Location = record.NullString{S: pick(r, artistLocations), Valid: true}
			if r.IntN(2) == 0 {
				a.Lat = record.NullFloat{F: decimals(r.Float64()*120-50, 5), Valid: true}
				a.Lon = record.NullFloat{F: decimals(r.Float64()*300-150, 5), Valid: true}
			}
		} else {
			a.Location = record.NullString{Valid: true} // "" as in the real files
		}
		out[i] = a
	}
	return out
}

// songLength is a duration in seconds with five decimals, around 4 minutes.
func songLength(r *rand.Rand) float64 {
	return decimals(min(1800, max(15, logNormal(r, math.Log(230), 0.35))), 5)
}

// makeOffCatalog invents n songs that are played but have no song file: new
// titles by new artists (their non-ASCII names garbled as in the real logs)
// or by catalog artists. None equals a catalog song on title, artist and
// length, so a play matches the catalog only when it was drawn from it.
func makeOffCatalog(r *rand.Rand, n int, artists []artist, catalogKeys map[tune]struct{}) []tune {
	names := make([]string, max(1, n*2/5))
	for i := range names {
		names[i] = makeArtistName(r)
		if !isASCII(names[i]) && r.IntN(5) != 0 {
			names[i] = mojibake(names[i])
		}
	}
	out := make([]tune, 0, n)
	for len(out) < n {
		t := tune{Title: makeTitle(r), Artist: pick(r, names), Length: songLength(r)}
		if r.IntN(5) == 0 {
			t.Artist = pick(r, artists).Name
		}
		if !isASCII(t.Title) && r.IntN(5) != 0 {
			t.Title = mojibake(t.Title)
		}
		if _, clash := catalogKeys[t]; clash {
			continue
		}
		out = append(out, t)
	}
	return out
}

// play draws a song for a NextSong event: from the catalog with probability
// matchRate, otherwise off-catalog. The reference is k+1 for catalog song k
// and -(k+1) for off-catalog song k (see tuneOf).
func (c *catalog) play(r *rand.Rand, matchRate float64) int32 {
	if r.Float64() < matchRate {
		return int32(c.songPick.draw(r) + 1)
	}
	return -int32(c.offPick.draw(r) + 1)
}

// tuneOf returns the song a play reference names.
func (c *catalog) tuneOf(ref int32) tune {
	if ref > 0 {
		s := &c.Songs[ref-1].Song
		return tune{s.Title, s.ArtistName, s.Duration}
	}
	return c.OffCatalog[-ref-1]
}
