// The home's glyphs as font faces, made by a Vite plugin at build time (scripts/first-screen-fonts.ts): imported for its effect only.
declare module 'virtual:first-screen-fonts' {}
