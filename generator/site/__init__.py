"""An edition's pages as markdown and the files beside them (emergency pack PDF and vCard, charts,
calendar, review packs), from site_templates/. Writes nothing, imports no engine: records is the
view every page builder reads, assemble the one assembler of the parts; the escaping and page
paths they share are generator.content.markup.
"""
