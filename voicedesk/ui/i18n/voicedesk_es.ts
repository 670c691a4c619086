<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <source>not installed</source>
        <translation>no instalado</translation>
    </message>
    <message>
        <source>&lt;p&gt;Live, offline speech transcription and translation.&lt;br&gt;Speech recognition by Whisper (faster-whisper), translation by Argos Translate.&lt;br&gt;Nothing you say leaves this computer.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Transcripción y traducción de voz en directo y sin conexión.&lt;br&gt;Reconocimiento de voz con Whisper (faster-whisper), traducción con Argos Translate.&lt;br&gt;Nada de lo que dice sale de este ordenador.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>AudioFile</name>
    <message>
        <source>{name} is a playlist, not an audio file; open the audio files it lists instead (links and other files are never followed)</source>
        <translation>{name} es una lista de reproducción, no un archivo de audio; abra en su lugar los archivos de audio que contiene (nunca se siguen enlaces ni otros archivos)</translation>
    </message>
    <message>
        <source>Cannot open {name}: {reason}</source>
        <translation>No se puede abrir {name}: {reason}</translation>
    </message>
    <message>
        <source>Not a readable audio file: {name}</source>
        <translation>No es un archivo de audio legible: {name}</translation>
    </message>
    <message>
        <source>No audio track in {name}</source>
        <translation>{name} no tiene pista de audio</translation>
    </message>
    <message>
        <source>No audio in {name}</source>
        <translation>{name} no contiene audio</translation>
    </message>
    <message>
        <source>File not found: {path}</source>
        <translation>No se encuentra el archivo: {path}</translation>
    </message>
    <message>
        <source>Not a file but a folder: {path}</source>
        <translation>No es un archivo, sino una carpeta: {path}</translation>
    </message>
    <message>
        <source>{name} is longer than {limit} ({length})</source>
        <translation>{name} dura más de {limit} ({length})</translation>
    </message>
    <message>
        <source>File is empty: {name}</source>
        <translation>El archivo está vacío: {name}</translation>
    </message>
</context>
<context>
    <name>BackgroundTask</name>
    <message>
        <source>Unexpected error: {reason}</source>
        <translation>Error inesperado: {reason}</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Dismiss</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>Ocultar este mensaje</translation>
    </message>
</context>
<context>
    <name>CaptionFeatures</name>
    <message>
        <source>Caption &amp;overlay</source>
        <translation>&amp;Ventana de subtítulos</translation>
    </message>
    <message>
        <source>An always-on-top window with the last lines of captions</source>
        <translation>Una ventana siempre visible con las últimas líneas de subtítulos</translation>
    </message>
    <message>
        <source>S&amp;hare captions</source>
        <translation>&amp;Compartir subtítulos</translation>
    </message>
    <message>
        <source>Show the live captions in OBS or a browser on this computer</source>
        <translation>Muestra los subtítulos en directo en OBS o en un navegador de este ordenador</translation>
    </message>
    <message>
        <source>Starting caption sharing…</source>
        <translation>Empezando a compartir los subtítulos…</translation>
    </message>
    <message>
        <source>Sharing captions at {url}</source>
        <translation>Compartiendo subtítulos en {url}</translation>
    </message>
    <message>
        <source>Could not share captions: {reason}</source>
        <translation>No se pudieron compartir los subtítulos: {reason}</translation>
    </message>
</context>
<context>
    <name>CaptionOverlay</name>
    <message>
        <source>&amp;Source</source>
        <translation>&amp;Original</translation>
    </message>
    <message>
        <source>&amp;Translation</source>
        <translation>&amp;Traducción</translation>
    </message>
    <message>
        <source>&amp;Both</source>
        <translation>&amp;Ambos</translation>
    </message>
    <message>
        <source>voicedesk captions</source>
        <translation>Subtítulos de voicedesk</translation>
    </message>
    <message>
        <source>Live captions</source>
        <translation>Subtítulos en directo</translation>
    </message>
    <message>
        <source>Captions</source>
        <translation>Subtítulos</translation>
    </message>
    <message>
        <source>Drag to resize</source>
        <translation>Arrastre para cambiar el tamaño</translation>
    </message>
    <message>
        <source>Caption overlay o&amp;ptions</source>
        <translation>&amp;Opciones de la ventana de subtítulos</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Mostrar</translation>
    </message>
    <message>
        <source>&amp;Lines</source>
        <translation>&amp;Líneas</translation>
    </message>
    <message>
        <source>Lar&amp;ger text</source>
        <translation>&amp;Aumentar el texto</translation>
    </message>
    <message>
        <source>S&amp;maller text</source>
        <translation>&amp;Reducir el texto</translation>
    </message>
    <message>
        <source>&amp;Click-through</source>
        <translation>&amp;Dejar pasar los clics</translation>
    </message>
    <message>
        <source>Clicks go to the window under the captions (turn off here)</source>
        <translation>Los clics llegan a la ventana que hay debajo de los subtítulos (se desactiva aquí)</translation>
    </message>
    <message>
        <source>Show spea&amp;kers</source>
        <translation>Mostrar &amp;hablantes</translation>
    </message>
    <message>
        <source>Say who is speaking (Speaker 1, Speaker 2, ...) where the speaker changes, when View &gt; Label speakers is on</source>
        <translation>Decir quién habla (Hablante 1, Hablante 2, ...) donde cambia el hablante, cuando Ver &gt; Etiquetar hablantes está activado</translation>
    </message>
    <message>
        <source>&amp;Hide captions</source>
        <translation>&amp;Ocultar subtítulos</translation>
    </message>
</context>
<context>
    <name>CrashNotice</name>
    <message>
        <source>Something went wrong inside voicedesk ({error}). Your transcript is kept; the details are in the log folder.</source>
        <translation>Algo ha fallado dentro de voicedesk ({error}). Su transcripción se conserva; los detalles están en la carpeta de registros.</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Abrir la carpeta de registros</translation>
    </message>
</context>
<context>
    <name>Edits</name>
    <message>
        <source>There is no next line to merge with.</source>
        <translation>No hay una línea siguiente con la que unirla.</translation>
    </message>
    <message>
        <source>That line is no longer in the transcript.</source>
        <translation>Esa línea ya no está en la transcripción.</translation>
    </message>
    <message>
        <source>This line is still being heard: split or merge it once the next line starts or listening stops.</source>
        <translation>Esta línea aún se está escuchando: divídala o únala cuando empiece la siguiente línea o se detenga la escucha.</translation>
    </message>
    <message>
        <source>The translation of the edited line is kept, marked outdated: {problem}</source>
        <translation>Se conserva la traducción de la línea editada, marcada como desactualizada: {problem}</translation>
    </message>
    <message>
        <source>A line cannot be empty. Its text is kept as it was.</source>
        <translation>Una línea no puede quedar vacía. Se conserva su texto tal como estaba.</translation>
    </message>
    <message>
        <source>Choose a place between two words to split the line.</source>
        <translation>Elija un punto entre dos palabras para dividir la línea.</translation>
    </message>
    <message>
        <source>Type some text to translate.</source>
        <translation>Escriba un texto para traducir.</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <source>{lost} s of audio were lost because transcription fell behind (at {at}; the transcript has a gap there)</source>
        <translation>Se han perdido {lost} s de audio porque la transcripción se quedó atrás (en {at}; la transcripción tiene un hueco ahí)</translation>
    </message>
    <message>
        <source>Transcription stopped after an internal error: {detail}</source>
        <translation>La transcripción se detuvo tras un error interno: {detail}</translation>
    </message>
    <message>
        <source>Audio capture stopped: {reason}</source>
        <translation>La captura de audio se detuvo: {reason}</translation>
    </message>
    <message>
        <source>Speaker labels stopped after an error ({detail}); the transcript goes on without them.</source>
        <translation>Las etiquetas de hablante se detuvieron tras un error ({detail}); la transcripción sigue sin ellas.</translation>
    </message>
</context>
<context>
    <name>EngineController</name>
    <message>
        <source>Could not load the speech engine: {reason}</source>
        <translation>No se pudo cargar el motor de reconocimiento de voz: {reason}</translation>
    </message>
    <message>
        <source>Could not load the model: {reason}</source>
        <translation>No se pudo cargar el modelo: {reason}</translation>
    </message>
    <message>
        <source>Could not open the input: {reason}</source>
        <translation>No se pudo abrir la entrada: {reason}</translation>
    </message>
    <message>
        <source>Could not start: {reason}</source>
        <translation>No se pudo iniciar: {reason}</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>Not a readable voicedesk transcript: {reason}.</source>
        <translation>No es una transcripción de voicedesk legible: {reason}.</translation>
    </message>
    <message>
        <source>RTTM needs speaker labels, and this transcript has none: transcribe with speaker labels on (--speakers).</source>
        <translation>RTTM necesita etiquetas de hablante y esta transcripción no tiene: transcribe con las etiquetas de hablante activadas (--speakers).</translation>
    </message>
    <message>
        <source>Cannot export to &apos;{path}&apos;: it is a folder, not a file.</source>
        <translation>No se puede exportar a &apos;{path}&apos;: es una carpeta, no un archivo.</translation>
    </message>
    <message>
        <source>Cannot export to &apos;{path}&apos;: the folder &apos;{folder}&apos; does not exist.</source>
        <translation>No se puede exportar a &apos;{path}&apos;: la carpeta &apos;{folder}&apos; no existe.</translation>
    </message>
    <message>
        <source>Cannot export to &apos;{path}&apos;: {reason}.</source>
        <translation>No se puede exportar a &apos;{path}&apos;: {reason}.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>SubRip subtitles (.srt)</source>
        <translation>Subtítulos SubRip (.srt)</translation>
    </message>
    <message>
        <source>WebVTT subtitles (.vtt)</source>
        <translation>Subtítulos WebVTT (.vtt)</translation>
    </message>
    <message>
        <source>Plain text (.txt)</source>
        <translation>Texto sin formato (.txt)</translation>
    </message>
    <message>
        <source>JSON with timings (.json)</source>
        <translation>JSON con tiempos (.json)</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>Transcripción</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>Traducción</translation>
    </message>
    <message>
        <source>Transcript and translation (bilingual)</source>
        <translation>Transcripción y traducción (bilingüe)</translation>
    </message>
    <message>
        <source>Export transcript</source>
        <translation>Exportar la transcripción</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Formato:</translation>
    </message>
    <message>
        <source>Content:</source>
        <translation>Contenido:</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Archivo:</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <source>Subtitles with times, plain text, or JSON</source>
        <translation>Subtítulos con tiempos, texto sin formato o JSON</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Contenido</translation>
    </message>
    <message>
        <source>The transcript, its translation, or both</source>
        <translation>La transcripción, su traducción o ambas</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <source>Where the file is written</source>
        <translation>Dónde se guarda el archivo</translation>
    </message>
    <message>
        <source>Choose the file in a file dialog</source>
        <translation>Elegir el archivo en un cuadro de diálogo</translation>
    </message>
    <message>
        <source>Write the file</source>
        <translation>Guardar el archivo</translation>
    </message>
    <message>
        <source>Close without exporting</source>
        <translation>Cerrar sin exportar</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>Exportar a</translation>
    </message>
</context>
<context>
    <name>Files</name>
    <message>
        <source>permission denied (the folder or file is not writable)</source>
        <translation>permiso denegado (no se puede escribir en la carpeta o el archivo)</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>el disco es de solo lectura</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>el disco está lleno</translation>
    </message>
    <message>
        <source>the disk quota is exceeded</source>
        <translation>se ha superado la cuota de disco</translation>
    </message>
    <message>
        <source>the file is too large for this disk</source>
        <translation>el archivo es demasiado grande para este disco</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>la carpeta no existe</translation>
    </message>
    <message>
        <source>it is a folder, not a file</source>
        <translation>es una carpeta, no un archivo</translation>
    </message>
    <message>
        <source>the file name is too long</source>
        <translation>el nombre del archivo es demasiado largo</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find in the transcript and the translation</source>
        <translation>Buscar en la transcripción y en la traducción</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Matches</source>
        <translation>Coincidencias</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>Coincidencia anterior (Mayús+F3)</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>Coincidencia siguiente (F3)</translation>
    </message>
    <message>
        <source>Close the find bar (Esc)</source>
        <translation>Cerrar la barra de búsqueda (Esc)</translation>
    </message>
    <message>
        <source>Find:</source>
        <translation>Buscar:</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>Sin coincidencias</translation>
    </message>
    <message>
        <source>{current} of {total}</source>
        <translation>{current} de {total}</translation>
    </message>
</context>
<context>
    <name>Journal</name>
    <message>
        <source>Cannot create the session journal in {folder}: {reason}</source>
        <translation>No se puede crear el diario de la sesión en {folder}: {reason}</translation>
    </message>
    <message>
        <source>The session journal could not be saved ({reason}); the transcript is kept in memory, export it to keep it.</source>
        <translation>No se pudo guardar el diario de la sesión ({reason}); la transcripción se conserva en memoria: expórtela para no perderla.</translation>
    </message>
    <message>
        <source>Cannot read the session journal {name}: {reason}</source>
        <translation>No se puede leer el diario de la sesión {name}: {reason}</translation>
    </message>
    <message>
        <source>{name} is not a voicedesk session journal.</source>
        <translation>{name} no es un diario de sesión de voicedesk.</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>Afrikaans</source>
        <translation>Afrikáans</translation>
    </message>
    <message>
        <source>Amharic</source>
        <translation>Amárico</translation>
    </message>
    <message>
        <source>Arabic</source>
        <translation>Árabe</translation>
    </message>
    <message>
        <source>Assamese</source>
        <translation>Asamés</translation>
    </message>
    <message>
        <source>Azerbaijani</source>
        <translation>Azerí</translation>
    </message>
    <message>
        <source>Bashkir</source>
        <translation>Baskir</translation>
    </message>
    <message>
        <source>Belarusian</source>
        <translation>Bielorruso</translation>
    </message>
    <message>
        <source>Bulgarian</source>
        <translation>Búlgaro</translation>
    </message>
    <message>
        <source>Bangla</source>
        <translation>Bengalí</translation>
    </message>
    <message>
        <source>Tibetan</source>
        <translation>Tibetano</translation>
    </message>
    <message>
        <source>Breton</source>
        <translation>Bretón</translation>
    </message>
    <message>
        <source>Bosnian</source>
        <translation>Bosnio</translation>
    </message>
    <message>
        <source>Catalan</source>
        <translation>Catalán</translation>
    </message>
    <message>
        <source>Czech</source>
        <translation>Checo</translation>
    </message>
    <message>
        <source>Welsh</source>
        <translation>Galés</translation>
    </message>
    <message>
        <source>Danish</source>
        <translation>Danés</translation>
    </message>
    <message>
        <source>German</source>
        <translation>Alemán</translation>
    </message>
    <message>
        <source>Greek</source>
        <translation>Griego</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Inglés</translation>
    </message>
    <message>
        <source>Spanish</source>
        <translation>Español</translation>
    </message>
    <message>
        <source>Estonian</source>
        <translation>Estonio</translation>
    </message>
    <message>
        <source>Basque</source>
        <translation>Euskera</translation>
    </message>
    <message>
        <source>Persian</source>
        <translation>Persa</translation>
    </message>
    <message>
        <source>Finnish</source>
        <translation>Finés</translation>
    </message>
    <message>
        <source>Faroese</source>
        <translation>Feroés</translation>
    </message>
    <message>
        <source>French</source>
        <translation>Francés</translation>
    </message>
    <message>
        <source>Galician</source>
        <translation>Gallego</translation>
    </message>
    <message>
        <source>Gujarati</source>
        <translation>Guyaratí</translation>
    </message>
    <message>
        <source>Hausa</source>
        <translation>Hausa</translation>
    </message>
    <message>
        <source>Hawaiian</source>
        <translation>Hawaiano</translation>
    </message>
    <message>
        <source>Hebrew</source>
        <translation>Hebreo</translation>
    </message>
    <message>
        <source>Hindi</source>
        <translation>Hindi</translation>
    </message>
    <message>
        <source>Croatian</source>
        <translation>Croata</translation>
    </message>
    <message>
        <source>Haitian Creole</source>
        <translation>Criollo haitiano</translation>
    </message>
    <message>
        <source>Hungarian</source>
        <translation>Húngaro</translation>
    </message>
    <message>
        <source>Armenian</source>
        <translation>Armenio</translation>
    </message>
    <message>
        <source>Indonesian</source>
        <translation>Indonesio</translation>
    </message>
    <message>
        <source>Icelandic</source>
        <translation>Islandés</translation>
    </message>
    <message>
        <source>Italian</source>
        <translation>Italiano</translation>
    </message>
    <message>
        <source>Japanese</source>
        <translation>Japonés</translation>
    </message>
    <message>
        <source>Javanese</source>
        <translation>Javanés</translation>
    </message>
    <message>
        <source>Georgian</source>
        <translation>Georgiano</translation>
    </message>
    <message>
        <source>Kazakh</source>
        <translation>Kazajo</translation>
    </message>
    <message>
        <source>Khmer</source>
        <translation>Jemer</translation>
    </message>
    <message>
        <source>Kannada</source>
        <translation>Canarés</translation>
    </message>
    <message>
        <source>Korean</source>
        <translation>Coreano</translation>
    </message>
    <message>
        <source>Latin</source>
        <translation>Latín</translation>
    </message>
    <message>
        <source>Luxembourgish</source>
        <translation>Luxemburgués</translation>
    </message>
    <message>
        <source>Lingala</source>
        <translation>Lingala</translation>
    </message>
    <message>
        <source>Lao</source>
        <translation>Lao</translation>
    </message>
    <message>
        <source>Lithuanian</source>
        <translation>Lituano</translation>
    </message>
    <message>
        <source>Latvian</source>
        <translation>Letón</translation>
    </message>
    <message>
        <source>Malagasy</source>
        <translation>Malgache</translation>
    </message>
    <message>
        <source>Māori</source>
        <translation>Maorí</translation>
    </message>
    <message>
        <source>Macedonian</source>
        <translation>Macedonio</translation>
    </message>
    <message>
        <source>Malayalam</source>
        <translation>Malayalam</translation>
    </message>
    <message>
        <source>Mongolian</source>
        <translation>Mongol</translation>
    </message>
    <message>
        <source>Marathi</source>
        <translation>Maratí</translation>
    </message>
    <message>
        <source>Malay</source>
        <translation>Malayo</translation>
    </message>
    <message>
        <source>Maltese</source>
        <translation>Maltés</translation>
    </message>
    <message>
        <source>Burmese</source>
        <translation>Birmano</translation>
    </message>
    <message>
        <source>Nepali</source>
        <translation>Nepalí</translation>
    </message>
    <message>
        <source>Dutch</source>
        <translation>Neerlandés</translation>
    </message>
    <message>
        <source>Norwegian Nynorsk</source>
        <translation>Noruego nynorsk</translation>
    </message>
    <message>
        <source>Norwegian Bokmål</source>
        <translation>Noruego bokmål</translation>
    </message>
    <message>
        <source>Occitan</source>
        <translation>Occitano</translation>
    </message>
    <message>
        <source>Punjabi</source>
        <translation>Panyabí</translation>
    </message>
    <message>
        <source>Polish</source>
        <translation>Polaco</translation>
    </message>
    <message>
        <source>Pashto</source>
        <translation>Pastún</translation>
    </message>
    <message>
        <source>Portuguese</source>
        <translation>Portugués</translation>
    </message>
    <message>
        <source>Romanian</source>
        <translation>Rumano</translation>
    </message>
    <message>
        <source>Russian</source>
        <translation>Ruso</translation>
    </message>
    <message>
        <source>Sanskrit</source>
        <translation>Sánscrito</translation>
    </message>
    <message>
        <source>Sindhi</source>
        <translation>Sindi</translation>
    </message>
    <message>
        <source>Sinhala</source>
        <translation>Cingalés</translation>
    </message>
    <message>
        <source>Slovak</source>
        <translation>Eslovaco</translation>
    </message>
    <message>
        <source>Slovenian</source>
        <translation>Esloveno</translation>
    </message>
    <message>
        <source>Shona</source>
        <translation>Shona</translation>
    </message>
    <message>
        <source>Somali</source>
        <translation>Somalí</translation>
    </message>
    <message>
        <source>Albanian</source>
        <translation>Albanés</translation>
    </message>
    <message>
        <source>Serbian</source>
        <translation>Serbio</translation>
    </message>
    <message>
        <source>Sundanese</source>
        <translation>Sundanés</translation>
    </message>
    <message>
        <source>Swedish</source>
        <translation>Sueco</translation>
    </message>
    <message>
        <source>Swahili</source>
        <translation>Suajili</translation>
    </message>
    <message>
        <source>Tamil</source>
        <translation>Tamil</translation>
    </message>
    <message>
        <source>Telugu</source>
        <translation>Telugu</translation>
    </message>
    <message>
        <source>Tajik</source>
        <translation>Tayiko</translation>
    </message>
    <message>
        <source>Thai</source>
        <translation>Tailandés</translation>
    </message>
    <message>
        <source>Turkmen</source>
        <translation>Turcomano</translation>
    </message>
    <message>
        <source>Filipino</source>
        <translation>Filipino</translation>
    </message>
    <message>
        <source>Turkish</source>
        <translation>Turco</translation>
    </message>
    <message>
        <source>Tatar</source>
        <translation>Tártaro</translation>
    </message>
    <message>
        <source>Ukrainian</source>
        <translation>Ucraniano</translation>
    </message>
    <message>
        <source>Urdu</source>
        <translation>Urdu</translation>
    </message>
    <message>
        <source>Uzbek</source>
        <translation>Uzbeko</translation>
    </message>
    <message>
        <source>Vietnamese</source>
        <translation>Vietnamita</translation>
    </message>
    <message>
        <source>Yiddish</source>
        <translation>Yidis</translation>
    </message>
    <message>
        <source>Yoruba</source>
        <translation>Yoruba</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>Chino</translation>
    </message>
    <message>
        <source>Cantonese</source>
        <translation>Cantonés</translation>
    </message>
    <message>
        <source>Esperanto</source>
        <translation>Esperanto</translation>
    </message>
    <message>
        <source>Irish</source>
        <translation>Irlandés</translation>
    </message>
    <message>
        <source>Kyrgyz</source>
        <translation>Kirguís</translation>
    </message>
    <message>
        <source>Portuguese (Brazil)</source>
        <translation>Portugués (Brasil)</translation>
    </message>
    <message>
        <source>Chinese (Traditional)</source>
        <translation>Chino (tradicional)</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>Lan&amp;guage</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>Applies the next time voicedesk starts</source>
        <translation>Se aplica la próxima vez que se inicie voicedesk</translation>
    </message>
    <message>
        <source>The new language applies the next time voicedesk starts.</source>
        <translation>El nuevo idioma se aplicará la próxima vez que se inicie voicedesk.</translation>
    </message>
</context>
<context>
    <name>LanguagePacks</name>
    <message>
        <source>Cannot read the installed Argos language packages: {reason}</source>
        <translation>No se pueden leer los paquetes de idioma de Argos instalados: {reason}</translation>
    </message>
    <message>
        <source>Get it with: {command}; a downloaded .argosmodel file installs with: voicedesk languages install FILE</source>
        <translation>Consígalo con: {command}; un archivo .argosmodel descargado se instala con: voicedesk languages install ARCHIVO</translation>
    </message>
    <message>
        <source>No Argos language package for {pair} is installed. {hint}.</source>
        <translation>No hay instalado ningún paquete de idioma de Argos para {pair}. {hint}.</translation>
    </message>
    <message>
        <source>No Argos language package for {pair} is installed (and none through English: {missing} missing). {hint}.</source>
        <translation>No hay instalado ningún paquete de idioma de Argos para {pair} (ni tampoco a través del inglés: falta {missing}). {hint}.</translation>
    </message>
    <message>
        <source>Language pack file not found: {path}</source>
        <translation>No se encuentra el archivo del paquete de idioma: {path}</translation>
    </message>
    <message>
        <source>{name} is not a language pack (not a zip archive; damaged download?)</source>
        <translation>{name} no es un paquete de idioma (no es un archivo zip; ¿descarga dañada?)</translation>
    </message>
    <message>
        <source>{name} is not a language pack (it must hold exactly one package folder)</source>
        <translation>{name} no es un paquete de idioma (debe contener exactamente una carpeta de paquete)</translation>
    </message>
    <message>
        <source>{name} is damaged ({bad} fails its checksum); download it again</source>
        <translation>{name} está dañado ({bad} no supera su suma de comprobación); descárguelo de nuevo</translation>
    </message>
    <message>
        <source>{name} is damaged ({reason}); download it again</source>
        <translation>{name} está dañado ({reason}); descárguelo de nuevo</translation>
    </message>
    <message>
        <source>{name} is not an Argos language package (no metadata.json inside)</source>
        <translation>{name} no es un paquete de idioma de Argos (no contiene metadata.json)</translation>
    </message>
    <message>
        <source>{name} has unreadable metadata ({reason})</source>
        <translation>{name} tiene metadatos ilegibles ({reason})</translation>
    </message>
    <message>
        <source>{name} is not a translation package</source>
        <translation>{name} no es un paquete de traducción</translation>
    </message>
    <message>
        <source>{name} declares language codes {codes} that are not language codes (like en or es); it was not installed</source>
        <translation>{name} declara los códigos de idioma {codes}, que no son códigos de idioma (como en o es); no se ha instalado</translation>
    </message>
    <message>
        <source>Language package file not found: {path}</source>
        <translation>No se encuentra el archivo del paquete de idioma: {path}</translation>
    </message>
    <message>
        <source>{name} is not an Argos language package ({reason})</source>
        <translation>{name} no es un paquete de idioma de Argos ({reason})</translation>
    </message>
    <message>
        <source>{name} is not a language pack (its folder {folder} is not a plain folder name)</source>
        <translation>{name} no es un paquete de idioma (su carpeta {folder} no es un nombre de carpeta simple)</translation>
    </message>
    <message>
        <source>the {pair} language pack</source>
        <translation>el paquete de idioma {pair}</translation>
    </message>
    <message>
        <source>other files</source>
        <translation>otros archivos</translation>
    </message>
    <message>
        <source>{name} ({pair}) was not installed: its folder {folder} already holds {what}, which it would replace</source>
        <translation>{name} ({pair}) no se ha instalado: su carpeta {folder} ya contiene {what}, que quedaría sustituido</translation>
    </message>
    <message>
        <source>{name} does not say which languages it translates</source>
        <translation>{name} no indica qué idiomas traduce</translation>
    </message>
    <message>
        <source>Could not install {name}: {reason}</source>
        <translation>No se pudo instalar {name}: {reason}</translation>
    </message>
    <message>
        <source>{reason}, and no copy of the package list is saved on this computer</source>
        <translation>{reason}, y no hay ninguna copia de la lista de paquetes guardada en este ordenador</translation>
    </message>
    <message>
        <source>The package server {host} redirected elsewhere; redirect refused ({reason})</source>
        <translation>El servidor de paquetes {host} redirigió a otro sitio; se rechazó la redirección ({reason})</translation>
    </message>
    <message>
        <source>The package server {host} answered HTTP {code}</source>
        <translation>El servidor de paquetes {host} respondió HTTP {code}</translation>
    </message>
    <message>
        <source>Cannot reach the package server {host} (no network?): {reason}</source>
        <translation>No se puede contactar con el servidor de paquetes {host} (¿sin red?): {reason}</translation>
    </message>
    <message>
        <source>The download from {host} broke off: {reason}</source>
        <translation>La descarga desde {host} se interrumpió: {reason}</translation>
    </message>
    <message>
        <source>&apos;{text}&apos; is not a language pair; write it like es-en (from Spanish to English)</source>
        <translation>&apos;{text}&apos; no es un par de idiomas; escríbalo como es-en (de español a inglés)</translation>
    </message>
    <message>
        <source>Could not remove the {src}→{dst} language pack: {reason}</source>
        <translation>No se pudo quitar el paquete de idioma {src}→{dst}: {reason}</translation>
    </message>
    <message>
        <source>No {src}→{dst} language pack is installed</source>
        <translation>No hay ningún paquete de idioma {src}→{dst} instalado</translation>
    </message>
    <message>
        <source>The language pack {pair} was not downloaded: the package index gives language codes that are not language codes (like en or es)</source>
        <translation>El paquete de idioma {pair} no se ha descargado: la lista de paquetes indica códigos de idioma que no son códigos de idioma (como en o es)</translation>
    </message>
    <message>
        <source>The {pair} language pack was not downloaded: {reason}</source>
        <translation>No se descargó el paquete de idioma {pair}: {reason}</translation>
    </message>
    <message>
        <source>The {pair} language pack has no download link</source>
        <translation>El paquete de idioma {pair} no tiene enlace de descarga</translation>
    </message>
    <message>
        <source>Cannot save the language pack: {reason}</source>
        <translation>No se puede guardar el paquete de idioma: {reason}</translation>
    </message>
    <message>
        <source>The download of the {pair} language pack broke off ({done} of {total} bytes)</source>
        <translation>La descarga del paquete de idioma {pair} se interrumpió ({done} de {total} bytes)</translation>
    </message>
    <message>
        <source>The downloaded {pair} language pack does not match the index&apos;s checksum; it was discarded</source>
        <translation>El paquete de idioma {pair} descargado no coincide con la suma de comprobación del índice; se ha descartado</translation>
    </message>
</context>
<context>
    <name>LanguagePacksDialog</name>
    <message>
        <source>Argos language packs (*.argosmodel)</source>
        <translation>Paquetes de idioma de Argos (*.argosmodel)</translation>
    </message>
    <message>
        <source>✓ installed</source>
        <translation>✓ instalado</translation>
    </message>
    <message>
        <source>Language packs</source>
        <translation>Paquetes de idioma</translation>
    </message>
    <message>
        <source>Install from file…</source>
        <translation>Instalar desde un archivo…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <source>Installed (drop .argosmodel files here)</source>
        <translation>Instalados (suelte aquí archivos .argosmodel)</translation>
    </message>
    <message>
        <source>Refresh list</source>
        <translation>Actualizar la lista</translation>
    </message>
    <message>
        <source>Download and install</source>
        <translation>Descargar e instalar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Available to download</source>
        <translation>Disponibles para descargar</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Installed language packs</source>
        <translation>Paquetes de idioma instalados</translation>
    </message>
    <message>
        <source>Drop .argosmodel files here to install them</source>
        <translation>Suelte aquí archivos .argosmodel para instalarlos</translation>
    </message>
    <message>
        <source>Language packs available to download</source>
        <translation>Paquetes de idioma disponibles para descargar</translation>
    </message>
    <message>
        <source>From the Argos Translate package list</source>
        <translation>De la lista de paquetes de Argos Translate</translation>
    </message>
    <message>
        <source>Download progress</source>
        <translation>Progreso de la descarga</translation>
    </message>
    <message>
        <source>Install .argosmodel files from this computer</source>
        <translation>Instalar archivos .argosmodel de este ordenador</translation>
    </message>
    <message>
        <source>Remove the selected language pack</source>
        <translation>Quitar el paquete de idioma seleccionado</translation>
    </message>
    <message>
        <source>Fetch the list of language packs again</source>
        <translation>Volver a obtener la lista de paquetes de idioma</translation>
    </message>
    <message>
        <source>Download and install the selected language pack</source>
        <translation>Descargar e instalar el paquete de idioma seleccionado</translation>
    </message>
    <message>
        <source>Stop the download; nothing is kept</source>
        <translation>Detener la descarga; no se conserva nada</translation>
    </message>
    <message>
        <source>Close this window</source>
        <translation>Cerrar esta ventana</translation>
    </message>
    <message>
        <source>Translates: {pairs}</source>
        <translation>Traduce: {pairs}</translation>
    </message>
    <message>
        <source>No language pack installed: translation is off until you add one.</source>
        <translation>No hay ningún paquete de idioma instalado: la traducción está desactivada hasta que añada uno.</translation>
    </message>
    <message>
        <source>{source} → {target}   ({pair}, version {version})</source>
        <translation>{source} → {target}   ({pair}, versión {version})</translation>
    </message>
    <message>
        <source>{source} → {target} (through {via})</source>
        <translation>{source} → {target} (a través de {via})</translation>
    </message>
    <message>
        <source>Installed {pair}.</source>
        <translation>Instalado {pair}.</translation>
    </message>
    <message>
        <source>Install language packs</source>
        <translation>Instalar paquetes de idioma</translation>
    </message>
    <message>
        <source>Removed {pair}.</source>
        <translation>Quitado {pair}.</translation>
    </message>
    <message>
        <source>Fetching the list of language packs…</source>
        <translation>Obteniendo la lista de paquetes de idioma…</translation>
    </message>
    <message>
        <source>{problem}. Showing the list saved earlier; downloads need the network.</source>
        <translation>{problem}. Se muestra la lista guardada anteriormente; las descargas necesitan conexión a la red.</translation>
    </message>
    <message numerus="yes">
        <source>%n language pack(s) available.</source>
        <translation>
            <numerusform>%n paquete de idioma disponible.</numerusform>
            <numerusform>%n paquetes de idioma disponibles.</numerusform>
        </translation>
    </message>
    <message>
        <source>Download cancelled; nothing was kept.</source>
        <translation>Descarga cancelada; no se ha conservado nada.</translation>
    </message>
    <message>
        <source>Downloading {name}…</source>
        <translation>Descargando {name}…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
</context>
<context>
    <name>LevelMeter</name>
    <message>
        <source>Input level</source>
        <translation>Nivel de entrada</translation>
    </message>
    <message>
        <source>Silent</source>
        <translation>Silencio</translation>
    </message>
    <message>
        <source>{db} dB</source>
        <translation>{db} dB</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Loading model…</source>
        <translation>Cargando el modelo…</translation>
    </message>
    <message>
        <source>Listening</source>
        <translation>Escuchando</translation>
    </message>
    <message>
        <source>Hearing speech</source>
        <translation>Oyendo voz</translation>
    </message>
    <message>
        <source>Transcribing</source>
        <translation>Transcribiendo</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Detenido</translation>
    </message>
    <message>
        <source>Look again</source>
        <translation>Buscar de nuevo</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>Elegir carpeta…</translation>
    </message>
    <message>
        <source>Speaker model…</source>
        <translation>Modelo de hablantes…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <source>Starting {name}…</source>
        <translation>Iniciando {name}…</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Deteniendo…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Iniciar</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Behind by {seconds} s</source>
        <translation>Con {seconds} s de retraso</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>Sin modelo</translation>
    </message>
    <message>
        <source>no model</source>
        <translation>sin modelo</translation>
    </message>
    <message>
        <source>Model: {model}</source>
        <translation>Modelo: {model}</translation>
    </message>
    <message>
        <source>  ·  Input: {device}</source>
        <translation>  ·  Entrada: {device}</translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation>Deteniendo</translation>
    </message>
    <message>
        <source>Open audio or video file</source>
        <translation>Abrir un archivo de audio o vídeo</translation>
    </message>
    <message>
        <source>Audio and video ({patterns});;All files (*)</source>
        <translation>Audio y vídeo ({patterns});;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Open transcript</source>
        <translation>Abrir una transcripción</translation>
    </message>
    <message>
        <source>voicedesk JSON (*.json)</source>
        <translation>JSON de voicedesk (*.json)</translation>
    </message>
    <message>
        <source>Cannot open {name}: {reason}</source>
        <translation>No se puede abrir {name}: {reason}</translation>
    </message>
    <message>
        <source>Nothing to export yet: the transcript is empty.</source>
        <translation>Todavía no hay nada que exportar: la transcripción está vacía.</translation>
    </message>
    <message>
        <source>{reason} The transcript is still here: export it somewhere else.</source>
        <translation>{reason} La transcripción sigue aquí: expórtela a otro sitio.</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>Exportado a {path}</translation>
    </message>
    <message>
        <source>Stop listening before starting a new session.</source>
        <translation>Detenga la escucha antes de empezar una sesión nueva.</translation>
    </message>
    <message>
        <source>About voicedesk</source>
        <translation>Acerca de voicedesk</translation>
    </message>
    <message>
        <source>Finishing the last sentence before closing…</source>
        <translation>Terminando la última frase antes de cerrar…</translation>
    </message>
    <message>
        <source>The microphone (or system audio) to transcribe</source>
        <translation>El micrófono (o el audio del sistema) que se transcribe</translation>
    </message>
    <message>
        <source>Look for microphones again</source>
        <translation>Volver a buscar micrófonos</translation>
    </message>
    <message>
        <source>The language being spoken; Auto-detect decides per utterance</source>
        <translation>El idioma que se habla; «Detección automática» lo decide en cada intervención</translation>
    </message>
    <message>
        <source>Auto-detect</source>
        <translation>Detección automática</translation>
    </message>
    <message>
        <source>The Whisper speech model: larger is more accurate and slower</source>
        <translation>El modelo de voz de Whisper: cuanto más grande, más preciso y más lento</translation>
    </message>
    <message>
        <source>Start or stop listening (Space, Ctrl+R)</source>
        <translation>Iniciar o detener la escucha (Espacio, Ctrl+R)</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>Micrófono</translation>
    </message>
    <message>
        <source>Spoken language</source>
        <translation>Idioma hablado</translation>
    </message>
    <message>
        <source>Translate to</source>
        <translation>Traducir a</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>File progress</source>
        <translation>Progreso del archivo</translation>
    </message>
    <message>
        <source>How much of the file is transcribed</source>
        <translation>Cuánto del archivo se ha transcrito</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>Transcripción</translation>
    </message>
    <message>
        <source>What was said, one sentence per line, with its time</source>
        <translation>Lo que se ha dicho, una frase por línea, con su tiempo</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>Traducción</translation>
    </message>
    <message>
        <source>The translation of each sentence, level with it</source>
        <translation>La traducción de cada frase, a su misma altura</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Stop transcribing the file (what is done so far is kept)</source>
        <translation>Dejar de transcribir el archivo (se conserva lo hecho hasta ahora)</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
    <message>
        <source>How far transcription is behind the audio</source>
        <translation>Cuánto va la transcripción por detrás del audio</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Open audio or video file…</source>
        <translation>&amp;Abrir archivo de audio o vídeo…</translation>
    </message>
    <message>
        <source>Transcribe a recording into the panes</source>
        <translation>Transcribir una grabación en los paneles</translation>
    </message>
    <message>
        <source>Open &amp;transcript…</source>
        <translation>Abrir &amp;transcripción…</translation>
    </message>
    <message>
        <source>Show a transcript exported earlier as JSON</source>
        <translation>Mostrar una transcripción exportada antes como JSON</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>E&amp;xportar…</translation>
    </message>
    <message>
        <source>Save the transcript as SRT, VTT, TXT or JSON</source>
        <translation>Guardar la transcripción como SRT, VTT, TXT o JSON</translation>
    </message>
    <message>
        <source>&amp;New session</source>
        <translation>&amp;Nueva sesión</translation>
    </message>
    <message>
        <source>Start again with empty panes</source>
        <translation>Empezar de nuevo con los paneles vacíos</translation>
    </message>
    <message>
        <source>Speech &amp;models…</source>
        <translation>&amp;Modelos de voz…</translation>
    </message>
    <message>
        <source>Download, add or delete Whisper models</source>
        <translation>Descargar, añadir o eliminar modelos de Whisper</translation>
    </message>
    <message>
        <source>&amp;Language packs…</source>
        <translation>&amp;Paquetes de idioma…</translation>
    </message>
    <message>
        <source>Install or remove Argos Translate language packs</source>
        <translation>Instalar o quitar paquetes de idioma de Argos Translate</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copiar</translation>
    </message>
    <message>
        <source>Copy the selection, or the whole pane when nothing is selected</source>
        <translation>Copiar la selección, o todo el panel si no hay nada seleccionado</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>Seleccionar &amp;todo</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>Vaci&amp;ar</translation>
    </message>
    <message>
        <source>Clear both panes (asks first if not exported)</source>
        <translation>Vaciar los dos paneles (pregunta antes si no se ha exportado)</translation>
    </message>
    <message>
        <source>&amp;Translation engine</source>
        <translation>Motor de t&amp;raducción</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>&amp;Aumentar el texto</translation>
    </message>
    <message>
        <source>&amp;Smaller text</source>
        <translation>&amp;Reducir el texto</translation>
    </message>
    <message>
        <source>&amp;Reset text size</source>
        <translation>Restablecer el &amp;tamaño del texto</translation>
    </message>
    <message>
        <source>&amp;Session</source>
        <translation>&amp;Sesión</translation>
    </message>
    <message>
        <source>&amp;Start / Stop</source>
        <translation>&amp;Iniciar / Detener</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>Abrir la carpeta de &amp;registros</translation>
    </message>
    <message>
        <source>&amp;About voicedesk</source>
        <translation>&amp;Acerca de voicedesk</translation>
    </message>
</context>
<context>
    <name>Microphone</name>
    <message>
        <source>Cannot open microphone &apos;{name}&apos;: {reason}</source>
        <translation>No se puede abrir el micrófono &apos;{name}&apos;: {reason}</translation>
    </message>
    <message>
        <source>Microphone &apos;{name}&apos; accepts none of the sample rates {rates}</source>
        <translation>El micrófono &apos;{name}&apos; no acepta ninguna de las frecuencias de muestreo {rates}</translation>
    </message>
    <message>
        <source>Microphone &apos;{name}&apos; stopped (unplugged or taken by another program?)</source>
        <translation>El micrófono &apos;{name}&apos; se ha detenido (¿desconectado o en uso por otro programa?)</translation>
    </message>
    <message>
        <source>Microphone &apos;{name}&apos; delivers no audio</source>
        <translation>El micrófono &apos;{name}&apos; no entrega audio</translation>
    </message>
    <message>
        <source>Microphone &apos;{name}&apos; stopped delivering audio (unplugged?)</source>
        <translation>El micrófono &apos;{name}&apos; ha dejado de entregar audio (¿desconectado?)</translation>
    </message>
    <message>
        <source>Sound source &apos;{name}&apos; disappeared (unplugged?)</source>
        <translation>La fuente de sonido &apos;{name}&apos; ha desaparecido (¿desconectada?)</translation>
    </message>
    <message>
        <source>Cannot list audio devices: {reason}</source>
        <translation>No se pueden listar los dispositivos de audio: {reason}</translation>
    </message>
    <message>
        <source>No microphone found: the system lists no audio input device</source>
        <translation>No se ha encontrado ningún micrófono: el sistema no muestra ningún dispositivo de entrada de audio</translation>
    </message>
    <message>
        <source>No input device number {spec}; available: {devices}</source>
        <translation>No hay ningún dispositivo de entrada número {spec}; disponibles: {devices}</translation>
    </message>
    <message>
        <source>Several input devices match &apos;{spec}&apos;: {devices}</source>
        <translation>Varios dispositivos de entrada coinciden con &apos;{spec}&apos;: {devices}</translation>
    </message>
    <message>
        <source>No input device named &apos;{spec}&apos;; available: {devices}</source>
        <translation>No hay ningún dispositivo de entrada llamado &apos;{spec}&apos;; disponibles: {devices}</translation>
    </message>
    <message>
        <source>The sound server (PulseAudio/PipeWire) does not answer, so its sources cannot be used</source>
        <translation>El servidor de sonido (PulseAudio/PipeWire) no responde, así que no se pueden usar sus fuentes</translation>
    </message>
    <message>
        <source>No sound server (PulseAudio/PipeWire) is running, so its sources cannot be used</source>
        <translation>No hay ningún servidor de sonido (PulseAudio/PipeWire) en marcha, así que no se pueden usar sus fuentes</translation>
    </message>
    <message>
        <source>Several sound sources match &apos;{spec}&apos;: {names}</source>
        <translation>Varias fuentes de sonido coinciden con &apos;{spec}&apos;: {names}</translation>
    </message>
    <message>
        <source>No sound source named &apos;{spec}&apos;; available: {names}</source>
        <translation>No hay ninguna fuente de sonido llamada &apos;{spec}&apos;; disponibles: {names}</translation>
    </message>
    <message>
        <source>The microphone sends only silence. Windows may be blocking it: open Settings → Privacy &amp; security → Microphone and turn on “Let desktop apps access your microphone”.</source>
        <translation>El micrófono solo envía silencio. Puede que Windows lo esté bloqueando: abra Configuración → Privacidad y seguridad → Micrófono y active “Permitir que las aplicaciones de escritorio accedan al micrófono”.</translation>
    </message>
    <message>
        <source>The microphone sends only silence. macOS may be blocking it: open System Settings → Privacy &amp; Security → Microphone and allow voicedesk, then start again.</source>
        <translation>El micrófono solo envía silencio. Puede que macOS lo esté bloqueando: abra Ajustes del Sistema → Privacidad y seguridad → Micrófono, permita voicedesk y vuelva a empezar.</translation>
    </message>
    <message>
        <source>The microphone sends only silence. Check that the input is not muted and its volume is up (the sound settings, or pavucontrol).</source>
        <translation>El micrófono solo envía silencio. Compruebe que la entrada no esté silenciada y tenga volumen (los ajustes de sonido, o pavucontrol).</translation>
    </message>
    <message>
        <source>System audio (speakers)</source>
        <translation>Audio del sistema (altavoces)</translation>
    </message>
</context>
<context>
    <name>ModelCatalogue</name>
    <message>
        <source>English only</source>
        <translation>solo inglés</translation>
    </message>
    <message>
        <source>multilingual</source>
        <translation>multilingüe</translation>
    </message>
    <message>
        <source>{speed}, {accuracy} ({languages})</source>
        <translation>{speed}, {accuracy} ({languages})</translation>
    </message>
    <message>
        <source>fastest</source>
        <translation>el más rápido</translation>
    </message>
    <message>
        <source>very fast</source>
        <translation>muy rápido</translation>
    </message>
    <message>
        <source>fast</source>
        <translation>rápido</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>velocidad media</translation>
    </message>
    <message>
        <source>slow</source>
        <translation>lento</translation>
    </message>
    <message>
        <source>slowest</source>
        <translation>el más lento</translation>
    </message>
    <message>
        <source>rough accuracy</source>
        <translation>precisión básica</translation>
    </message>
    <message>
        <source>fair accuracy</source>
        <translation>precisión aceptable</translation>
    </message>
    <message>
        <source>good accuracy</source>
        <translation>buena precisión</translation>
    </message>
    <message>
        <source>very good accuracy</source>
        <translation>muy buena precisión</translation>
    </message>
    <message>
        <source>near-best accuracy</source>
        <translation>precisión casi máxima</translation>
    </message>
    <message>
        <source>best accuracy</source>
        <translation>máxima precisión</translation>
    </message>
    <message>
        <source>best accuracy (older)</source>
        <translation>máxima precisión (versión anterior)</translation>
    </message>
</context>
<context>
    <name>ModelChoice</name>
    <message>
        <source>a CUDA GPU is present: the turbo model runs in real time with near-best accuracy</source>
        <translation>hay una GPU CUDA: el modelo turbo funciona en tiempo real con una precisión casi máxima</translation>
    </message>
    <message>
        <source>{cores} CPU cores and {memory} GB of memory keep up with the small model live</source>
        <translation>{cores} núcleos de CPU y {memory} GB de memoria bastan para usar el modelo small en directo</translation>
    </message>
    <message>
        <source>{cores} CPU cores: base is the largest model that keeps up live</source>
        <translation>{cores} núcleos de CPU: base es el modelo más grande que va al ritmo del directo</translation>
    </message>
    <message>
        <source>a small machine: tiny is the model that keeps up live</source>
        <translation>es un equipo modesto: tiny es el modelo que va al ritmo del directo</translation>
    </message>
</context>
<context>
    <name>ModelDownload</name>
    <message>
        <source>Downloads are switched off (HF_HUB_OFFLINE is set); choose a local model folder instead</source>
        <translation>Las descargas están desactivadas (HF_HUB_OFFLINE está definido); elija en su lugar una carpeta de modelo local</translation>
    </message>
    <message>
        <source>Cannot reach the model hub at {host} (no network?): {reason}</source>
        <translation>No se puede contactar con el repositorio de modelos en {host} (¿sin red?): {reason}</translation>
    </message>
    <message>
        <source>The model hub at {host} has no model {repo_id}</source>
        <translation>El repositorio de modelos en {host} no tiene el modelo {repo_id}</translation>
    </message>
    <message>
        <source>The model hub at {host} answered HTTP {status} for {repo_id}; try again later</source>
        <translation>El repositorio de modelos en {host} respondió HTTP {status} para {repo_id}; inténtelo más tarde</translation>
    </message>
    <message>
        <source>The download from {host} broke off: {reason}; run it again to resume</source>
        <translation>La descarga desde {host} se interrumpió: {reason}; vuelva a iniciarla para continuar</translation>
    </message>
    <message>
        <source>Could not save the model: {reason}</source>
        <translation>No se pudo guardar el modelo: {reason}</translation>
    </message>
    <message>
        <source>Download of {repo_id} failed: {reason}</source>
        <translation>La descarga de {repo_id} ha fallado: {reason}</translation>
    </message>
    <message>
        <source>Unknown model &apos;{name}&apos;. Choose one of: {known}</source>
        <translation>Modelo desconocido &apos;{name}&apos;. Elija uno de estos: {known}</translation>
    </message>
    <message>
        <source>Cannot download {name}: its download folder in {hub_cache} leads outside it (a symbolic link?)</source>
        <translation>No se puede descargar {name}: su carpeta de descarga en {hub_cache} lleva fuera de ella (¿un enlace simbólico?)</translation>
    </message>
    <message>
        <source>Cannot write to the model cache {hub_cache}: {reason}</source>
        <translation>No se puede escribir en la caché de modelos {hub_cache}: {reason}</translation>
    </message>
    <message>
        <source>{name} was downloaded but cannot be found in {hub_cache}</source>
        <translation>{name} se ha descargado pero no se encuentra en {hub_cache}</translation>
    </message>
    <message>
        <source>{name} is bundled with the app and cannot be deleted</source>
        <translation>{name} viene incluido con la aplicación y no se puede eliminar</translation>
    </message>
    <message>
        <source>Could not delete {folder}: {reason}</source>
        <translation>No se ha podido eliminar {folder}: {reason}</translation>
    </message>
    <message>
        <source>{folder} leads outside {base} (a symbolic link?); nothing was deleted</source>
        <translation>{folder} lleva fuera de {base} (¿un enlace simbólico?); no se ha eliminado nada</translation>
    </message>
    <message>
        <source>{name} is a folder you added; its files are yours and were not deleted (to stop using it: voicedesk models remove-folder {folder})</source>
        <translation>{name} es una carpeta que usted añadió; sus archivos son suyos y no se han eliminado (para dejar de usarla: voicedesk models remove-folder {folder})</translation>
    </message>
    <message>
        <source>No model name given; nothing was deleted. Choose one of: {known}</source>
        <translation>No se ha indicado ningún nombre de modelo; no se ha eliminado nada. Elija uno de estos: {known}</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is a path, not a model name; nothing was deleted. Choose one of: {known}</source>
        <translation>&apos;{name}&apos; es una ruta, no un nombre de modelo; no se ha eliminado nada. Elija uno de estos: {known}</translation>
    </message>
    <message>
        <source>Unknown model &apos;{name}&apos;; nothing was deleted. Choose one of: {known}</source>
        <translation>Modelo desconocido &apos;{name}&apos;; no se ha eliminado nada. Elija uno de estos: {known}</translation>
    </message>
</context>
<context>
    <name>ModelFolder</name>
    <message>
        <source>{folder} is not a folder</source>
        <translation>{folder} no es una carpeta</translation>
    </message>
    <message>
        <source>{folder} is not a faster-whisper model folder (missing {files})</source>
        <translation>{folder} no es una carpeta de modelo de faster-whisper (faltan {files})</translation>
    </message>
</context>
<context>
    <name>ModelManagerDialog</name>
    <message>
        <source>installed</source>
        <translation>instalado</translation>
    </message>
    <message>
        <source>your folder</source>
        <translation>su carpeta</translation>
    </message>
    <message>
        <source>bundled</source>
        <translation>incluido</translation>
    </message>
    <message>
        <source>%p%  ({done} of {total})</source>
        <translation>%p%  ({done} de {total})</translation>
    </message>
    <message>
        <source>Speech models</source>
        <translation>Modelos de voz</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <source>Speed and accuracy</source>
        <translation>Velocidad y precisión</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Descargar</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>Cancelar la descarga</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Añadir carpeta…</translation>
    </message>
    <message>
        <source>Add from file…</source>
        <translation>Añadir desde archivo…</translation>
    </message>
    <message>
        <source>Use this model</source>
        <translation>Usar este modelo</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Whisper speech models run on this computer. Larger models are more accurate and slower.</source>
        <translation>Los modelos de voz de Whisper funcionan en este ordenador. Los modelos más grandes son más precisos y más lentos.</translation>
    </message>
    <message>
        <source>Each model&apos;s size, speed and accuracy, and whether it is installed</source>
        <translation>El tamaño, la velocidad y la precisión de cada modelo, y si está instalado</translation>
    </message>
    <message>
        <source>Download progress</source>
        <translation>Progreso de la descarga</translation>
    </message>
    <message>
        <source>Download the selected model</source>
        <translation>Descargar el modelo seleccionado</translation>
    </message>
    <message>
        <source>Stop the download; nothing is kept</source>
        <translation>Detener la descarga; no se conserva nada</translation>
    </message>
    <message>
        <source>Delete the selected model from this computer</source>
        <translation>Eliminar el modelo seleccionado de este ordenador</translation>
    </message>
    <message>
        <source>Use a faster-whisper model folder you already have</source>
        <translation>Usar una carpeta de modelo de faster-whisper que ya tenga</translation>
    </message>
    <message>
        <source>Install a CAM++ speaker model (.onnx) you already have</source>
        <translation>Instalar un modelo de hablantes CAM++ (.onnx) que ya tenga</translation>
    </message>
    <message>
        <source>Transcribe with the selected model</source>
        <translation>Transcribir con el modelo seleccionado</translation>
    </message>
    <message>
        <source>Close this window</source>
        <translation>Cerrar esta ventana</translation>
    </message>
    <message>
        <source>partly downloaded ({size})</source>
        <translation>descargado en parte ({size})</translation>
    </message>
    <message>
        <source>a folder you added</source>
        <translation>una carpeta que usted añadió</translation>
    </message>
    <message>
        <source>missing files</source>
        <translation>faltan archivos</translation>
    </message>
    <message>
        <source>Tells speakers apart (View → Label speakers)</source>
        <translation>Distingue a los hablantes (Ver → Etiquetar hablantes)</translation>
    </message>
    <message>
        <source>Speaker labels (CAM++)</source>
        <translation>Etiquetas de hablante (CAM++)</translation>
    </message>
    <message>
        <source>Forget folder</source>
        <translation>Olvidar la carpeta</translation>
    </message>
    <message>
        <source>{name} is ready.</source>
        <translation>{name} está listo.</translation>
    </message>
    <message>
        <source>Downloading the speaker model…</source>
        <translation>Descargando el modelo de hablantes…</translation>
    </message>
    <message>
        <source>The speaker model is ready; View → Label speakers uses it from the next Start.</source>
        <translation>El modelo de hablantes está listo; Ver → Etiquetar hablantes lo usará a partir del próximo Iniciar.</translation>
    </message>
    <message>
        <source>Download cancelled; nothing was kept.</source>
        <translation>Descarga cancelada; no se ha conservado nada.</translation>
    </message>
    <message>
        <source>Choose a CAM++ speaker model</source>
        <translation>Elija un modelo de hablantes CAM++</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>Modelos ONNX (*.onnx);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Added the speaker model from {path}.</source>
        <translation>Añadido el modelo de hablantes desde {path}.</translation>
    </message>
    <message>
        <source>Downloading {name}…</source>
        <translation>Descargando {name}…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <source>{name} is in use: transcription is running with it. Stop it first, then delete the model.</source>
        <translation>{name} está en uso: la transcripción lo está utilizando. Deténgala primero y después elimine el modelo.</translation>
    </message>
    <message>
        <source>Forgot {name} (its files are untouched).</source>
        <translation>Se ha olvidado {name} (sus archivos siguen intactos).</translation>
    </message>
    <message>
        <source>Deleted {name}.</source>
        <translation>Eliminado {name}.</translation>
    </message>
    <message>
        <source>Deleted the speaker model.</source>
        <translation>Eliminado el modelo de hablantes.</translation>
    </message>
    <message>
        <source>Choose a faster-whisper model folder</source>
        <translation>Elija una carpeta de modelo de faster-whisper</translation>
    </message>
    <message>
        <source>Added {path}.</source>
        <translation>Añadido {path}.</translation>
    </message>
</context>
<context>
    <name>ModelMessages</name>
    <message>
        <source>The Whisper model &apos;{name}&apos; is not on this computer. Get it with: voicedesk models download {name}  (or pass --model with a local model folder)</source>
        <translation>El modelo de Whisper &apos;{name}&apos; no está en este ordenador. Consígalo con: voicedesk models download {name}  (o indique --model con una carpeta de modelo local)</translation>
    </message>
    <message>
        <source>voicedesk languages install {source}-{target}, or install {source}-en and en-{target} to translate through English</source>
        <translation>voicedesk languages install {source}-{target}, o instale {source}-en y en-{target} para traducir a través del inglés</translation>
    </message>
    <message>
        <source>No language pack translates {source}→{target}. Get one with: {how}  (or a .argosmodel file: voicedesk languages install FILE)</source>
        <translation>Ningún paquete de idioma traduce {source}→{target}. Consiga uno con: {how}  (o un archivo .argosmodel: voicedesk languages install ARCHIVO)</translation>
    </message>
</context>
<context>
    <name>OverloadOffer</name>
    <message>
        <source>Do this automatically</source>
        <translation>Hacerlo automáticamente</translation>
    </message>
    <message>
        <source>Switch to a lighter setting without asking whenever voicedesk falls behind</source>
        <translation>Pasar a un ajuste más ligero sin preguntar cada vez que voicedesk se quede atrás</translation>
    </message>
    <message>
        <source>Switch</source>
        <translation>Cambiar</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>Hide this offer</source>
        <translation>Ocultar esta propuesta</translation>
    </message>
    <message>
        <source>voicedesk can&apos;t keep up with this model on this computer: switch to {plan}? What is transcribed so far is kept.</source>
        <translation>voicedesk no puede seguir el ritmo con este modelo en este ordenador: ¿quiere pasar a {plan}? Se conserva lo transcrito hasta ahora.</translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <source>Give the journal folder as a full path (it starts with / or a drive).</source>
        <translation>Indique la carpeta del diario como ruta completa (empieza por / o por una unidad).</translation>
    </message>
    <message>
        <source>{path} is a file, not a folder.</source>
        <translation>{path} es un archivo, no una carpeta.</translation>
    </message>
    <message>
        <source>voicedesk cannot write in {path}: choose a folder of yours.</source>
        <translation>voicedesk no puede escribir en {path}: elija una carpeta suya.</translation>
    </message>
    <message>
        <source>CTranslate2 cannot use CUDA here: {reason}</source>
        <translation>CTranslate2 no puede usar CUDA aquí: {reason}</translation>
    </message>
    <message>
        <source>{count} CUDA device(s) found.</source>
        <translation>Dispositivos CUDA encontrados: {count}.</translation>
    </message>
    <message>
        <source>No CUDA GPU found (CTranslate2 sees none): Whisper runs on the CPU.</source>
        <translation>No se encontró ninguna GPU CUDA (CTranslate2 no ve ninguna): Whisper se ejecuta en la CPU.</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Preferencias</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automático</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>GPU (CUDA)</source>
        <translation>GPU (CUDA)</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Switch to a lighter setting automatically</source>
        <translation>Pasar a un ajuste más ligero automáticamente</translation>
    </message>
    <message>
        <source>Default folder</source>
        <translation>Carpeta predeterminada</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>Choose the journal folder in a folder dialog</source>
        <translation>Elegir la carpeta del diario en un cuadro de diálogo</translation>
    </message>
    <message>
        <source>SubRip subtitles (.srt)</source>
        <translation>Subtítulos SubRip (.srt)</translation>
    </message>
    <message>
        <source>WebVTT subtitles (.vtt)</source>
        <translation>Subtítulos WebVTT (.vtt)</translation>
    </message>
    <message>
        <source>Plain text (.txt)</source>
        <translation>Texto sin formato (.txt)</translation>
    </message>
    <message>
        <source>JSON with timings (.json)</source>
        <translation>JSON con tiempos (.json)</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>Transcripción</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>Traducción</translation>
    </message>
    <message>
        <source>Transcript and translation (bilingual)</source>
        <translation>Transcripción y traducción (bilingüe)</translation>
    </message>
    <message>
        <source>Speech engine</source>
        <translation>Motor de voz</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>&amp;Dispositivo:</translation>
    </message>
    <message>
        <source>Where Whisper runs. A GPU is many times faster; Automatic uses one when there is one.</source>
        <translation>Dónde se ejecuta Whisper. Una GPU es mucho más rápida; Automático la usa cuando la hay.</translation>
    </message>
    <message>
        <source>&amp;Compute type:</source>
        <translation>Tipo de &amp;cálculo:</translation>
    </message>
    <message>
        <source>Number precision: int8 is fastest on a CPU, float16 on a GPU; float32 is exact and slowest.</source>
        <translation>Precisión numérica: int8 es lo más rápido en una CPU, float16 en una GPU; float32 es exacto y lo más lento.</translation>
    </message>
    <message>
        <source>&amp;Beam size:</source>
        <translation>Anchura del &amp;haz:</translation>
    </message>
    <message>
        <source>&amp;Partial refresh:</source>
        <translation>Actualización &amp;parcial:</translation>
    </message>
    <message>
        <source>When transcription falls behind, take a smaller model or greedy decoding without asking.</source>
        <translation>Cuando la transcripción se retrasa, usar un modelo más pequeño o la decodificación voraz sin preguntar.</translation>
    </message>
    <message>
        <source>Listening</source>
        <translation>Escucha</translation>
    </message>
    <message>
        <source>Speech &amp;threshold:</source>
        <translation>&amp;Umbral de voz:</translation>
    </message>
    <message>
        <source>&amp;End-of-speech pause:</source>
        <translation>Pausa de &amp;fin de habla:</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Archivos</translation>
    </message>
    <message>
        <source>&amp;Journal folder:</source>
        <translation>Carpeta del dia&amp;rio:</translation>
    </message>
    <message>
        <source>Each session is saved here as it is spoken, so a crash loses nothing. Empty: the default folder.</source>
        <translation>Cada sesión se guarda aquí mientras se habla, para que un fallo no pierda nada. Vacío: la carpeta predeterminada.</translation>
    </message>
    <message>
        <source>Export &amp;format:</source>
        <translation>&amp;Formato de exportación:</translation>
    </message>
    <message>
        <source>What the Export dialog proposes first.</source>
        <translation>Lo que el diálogo Exportar propone primero.</translation>
    </message>
    <message>
        <source>Export c&amp;ontent:</source>
        <translation>C&amp;ontenido de exportación:</translation>
    </message>
    <message>
        <source>Transcript, translation, or both side by side (bilingual).</source>
        <translation>Transcripción, traducción o ambas juntas (bilingüe).</translation>
    </message>
    <message>
        <source>&amp;Reset to defaults</source>
        <translation>&amp;Restablecer valores predeterminados</translation>
    </message>
    <message>
        <source>Fill the form with the default settings (saved only with OK)</source>
        <translation>Rellenar el formulario con los ajustes predeterminados (se guardan solo con Aceptar)</translation>
    </message>
    <message>
        <source>Changes apply from the next Start.</source>
        <translation>Los cambios se aplican a partir del próximo Iniciar.</translation>
    </message>
    <message>
        <source>Default (int8 on a CPU, float16 on a GPU)</source>
        <translation>Predeterminado (int8 en una CPU, float16 en una GPU)</translation>
    </message>
    <message>
        <source>Choose the journal folder</source>
        <translation>Elija la carpeta del diario</translation>
    </message>
</context>
<context>
    <name>Questions</name>
    <message>
        <source>Discard transcript?</source>
        <translation>¿Descartar la transcripción?</translation>
    </message>
    <message>
        <source>The transcript has text that was not exported. Discard it and start a new session?</source>
        <translation>La transcripción tiene texto que no se ha exportado. ¿Quiere descartarlo y empezar una sesión nueva?</translation>
    </message>
    <message>
        <source>Quit voicedesk?</source>
        <translation>¿Salir de voicedesk?</translation>
    </message>
    <message>
        <source>The transcript has text that was not exported. Export it before quitting?</source>
        <translation>La transcripción tiene texto que no se ha exportado. ¿Quiere exportarlo antes de salir?</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <source>Quit without saving</source>
        <translation>Salir sin guardar</translation>
    </message>
</context>
<context>
    <name>ReadingMode</name>
    <message>
        <source>Se&amp;ttled text only</source>
        <translation>Solo texto &amp;definitivo</translation>
    </message>
    <message>
        <source>Show each sentence once it is settled, a second or two after it ends, with no words changing</source>
        <translation>Mostrar cada frase cuando ya es definitiva, uno o dos segundos después de que termine, sin palabras que cambien</translation>
    </message>
</context>
<context>
    <name>RecoveryOffer</name>
    <message numerus="yes">
        <source>The session of {when} did not end normally (%n sentence(s), last: “{last}”). Restore it?</source>
        <translation>
            <numerusform>La sesión del {when} no terminó con normalidad (%n frase, la última: «{last}»). ¿Quiere restaurarla?</numerusform>
            <numerusform>La sesión del {when} no terminó con normalidad (%n frases, la última: «{last}»). ¿Quiere restaurarla?</numerusform>
        </translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restaurar</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Discarded the session of {when}.</source>
        <translation>Se ha descartado la sesión del {when}.</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message numerus="yes">
        <source>Restored %n sentence(s)</source>
        <translation>
            <numerusform>Restaurada %n frase</numerusform>
            <numerusform>Restauradas %n frases</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>No microphone to listen to. Connect one and press ⟳, or open a file.</source>
        <translation>No hay ningún micrófono que escuchar. Conecte uno y pulse ⟳, o abra un archivo.</translation>
    </message>
    <message>
        <source> What was transcribed so far is kept.</source>
        <translation> Se conserva lo transcrito hasta ahora.</translation>
    </message>
    <message>
        <source>{message}{keep} Listening resumes when “{name}” is back, or choose another microphone and press Start.</source>
        <translation>{message}{keep} La escucha se reanudará cuando vuelva «{name}»; también puede elegir otro micrófono y pulsar Iniciar.</translation>
    </message>
    <message>
        <source>{message}{keep} Choose another microphone and press Start.</source>
        <translation>{message}{keep} Elija otro micrófono y pulse Iniciar.</translation>
    </message>
    <message>
        <source>{message} The transcript goes on without speaker labels.</source>
        <translation>{message} La transcripción sigue sin etiquetas de hablante.</translation>
    </message>
    <message>
        <source>{message} Transcription goes on without it.</source>
        <translation>{message} La transcripción continúa sin ella.</translation>
    </message>
    <message>
        <source>“{name}” is back: listening again.</source>
        <translation>«{name}» ha vuelto: se reanuda la escucha.</translation>
    </message>
    <message>
        <source>Switched to {plan} to keep up; the transcript is kept.</source>
        <translation>Se ha pasado a {plan} para seguir el ritmo; se conserva la transcripción.</translation>
    </message>
    <message>
        <source>the {model} model</source>
        <translation>el modelo {model}</translation>
    </message>
    <message>
        <source>greedy finals (beam size 1)</source>
        <translation>decodificación voraz de los finales (anchura del haz 1)</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>How sure the voice detector must be that it hears speech: lower catches quiet voices, higher ignores more noise.</source>
        <translation>Qué seguridad necesita el detector de voz para considerar que oye habla: más bajo capta voces suaves, más alto ignora más ruido.</translation>
    </message>
    <message>
        <source>The pause that ends an utterance and makes its text final: shorter is quicker, longer splits fewer sentences.</source>
        <translation>La pausa que termina un enunciado y fija su texto: más corta es más rápida, más larga corta menos frases.</translation>
    </message>
    <message>
        <source>Audio kept from before speech starts, so first words are not clipped.</source>
        <translation>Audio que se guarda de antes de que empiece el habla, para no cortar las primeras palabras.</translation>
    </message>
    <message>
        <source>How often the line being spoken is decoded again: shorter shows words sooner, costs more CPU.</source>
        <translation>Cada cuánto se vuelve a decodificar la línea que se está diciendo: más corto muestra antes las palabras y gasta más CPU.</translation>
    </message>
    <message>
        <source>The longest audio decoded as one utterance; longer speech is cut at a committed word.</source>
        <translation>El audio más largo que se decodifica como un solo enunciado; el habla más larga se corta en una palabra ya fijada.</translation>
    </message>
    <message>
        <source>Start the final decode at the first short pause, and keep it if the pause ends the utterance.</source>
        <translation>Empezar la decodificación final en la primera pausa corta y conservarla si la pausa termina el enunciado.</translation>
    </message>
    <message>
        <source>Alternatives a final line weighs: more is a little more accurate and slower; 1 is fastest.</source>
        <translation>Alternativas que sopesa una línea final: más es algo más preciso y más lento; 1 es lo más rápido.</translation>
    </message>
    <message>
        <source>Alternatives a line still being spoken weighs (1: greedy, the quickest).</source>
        <translation>Alternativas que sopesa una línea que aún se está diciendo (1: voraz, lo más rápido).</translation>
    </message>
    <message>
        <source>How sure Whisper must be that there is no speech before it drops a stretch.</source>
        <translation>Qué seguridad necesita Whisper de que no hay habla antes de descartar un tramo.</translation>
    </message>
    <message>
        <source>Characters of the utterance&apos;s text so far that Whisper is given as context.</source>
        <translation>Caracteres del texto del enunciado hasta ahora que Whisper recibe como contexto.</translation>
    </message>
    <message>
        <source>A pause this long ends a turn: context and sentences never cross it.</source>
        <translation>Una pausa así de larga termina un turno: el contexto y las frases nunca la cruzan.</translation>
    </message>
    <message>
        <source>After a full stop, the pause that ends the sentence.</source>
        <translation>Tras un punto, la pausa que termina la frase.</translation>
    </message>
    <message>
        <source>Say who is speaking: each final carries a speaker number.</source>
        <translation>Decir quién habla: cada texto final lleva un número de hablante.</translation>
    </message>
    <message>
        <source>How many people speak: 0 finds out (Auto), else exactly this many.</source>
        <translation>Cuántas personas hablan: 0 lo averigua (automático); si no, exactamente esas.</translation>
    </message>
</context>
<context>
    <name>SettingsFeatures</name>
    <message>
        <source>Voca&amp;bulary…</source>
        <translation>&amp;Vocabulario…</translation>
    </message>
    <message>
        <source>Names and terms Whisper should spell right</source>
        <translation>Nombres y términos que Whisper debe escribir bien</translation>
    </message>
    <message>
        <source>P&amp;references…</source>
        <translation>&amp;Preferencias…</translation>
    </message>
    <message>
        <source>Device, voice detection, decoding, journal folder, export defaults</source>
        <translation>Dispositivo, detección de voz, decodificación, carpeta del diario, exportación predeterminada</translation>
    </message>
    <message>
        <source>Preferences saved.</source>
        <translation>Preferencias guardadas.</translation>
    </message>
    <message>
        <source>Preferences saved: they apply from the next Start.</source>
        <translation>Preferencias guardadas: se aplican a partir del próximo Iniciar.</translation>
    </message>
    <message>
        <source>Vocabulary saved.</source>
        <translation>Vocabulario guardado.</translation>
    </message>
    <message>
        <source>Vocabulary saved: it applies from the next Start.</source>
        <translation>Vocabulario guardado: se aplica a partir del próximo Iniciar.</translation>
    </message>
</context>
<context>
    <name>SharingIndicator</name>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Copy the caption page&apos;s address (for an OBS Browser Source)</source>
        <translation>Copiar la dirección de la página de subtítulos (para una fuente de navegador de OBS)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <source>Stop sharing captions</source>
        <translation>Dejar de compartir los subtítulos</translation>
    </message>
    <message>
        <source>Sharing captions at {url}</source>
        <translation>Compartiendo subtítulos en {url}</translation>
    </message>
    <message>
        <source>Programs on this computer (OBS, a browser) can show the live captions from this address; nothing outside this computer can connect</source>
        <translation>Los programas de este ordenador (OBS, un navegador) pueden mostrar los subtítulos en directo desde esta dirección; nada de fuera de este ordenador puede conectarse</translation>
    </message>
</context>
<context>
    <name>SpeakerLabelsFeature</name>
    <message>
        <source>Label spea&amp;kers</source>
        <translation>Etiquetar &amp;hablantes</translation>
    </message>
    <message>
        <source>Say who is speaking (Speaker 1, Speaker 2, ...) from the next Start</source>
        <translation>Decir quién habla (Hablante 1, Hablante 2, ...) desde el próximo inicio</translation>
    </message>
    <message>
        <source>N&amp;umber of speakers</source>
        <translation>Nú&amp;mero de hablantes</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Automático</translation>
    </message>
    <message>
        <source>Auto finds how many people speak; give the number when you know it (from the next Start)</source>
        <translation>Automático averigua cuántas personas hablan; indique el número cuando lo sepa (desde el próximo Iniciar)</translation>
    </message>
    <message>
        <source>Speaker labels need the speaker model, which is not installed. Download it (about {size} MB, once), or add a CAM++ .onnx file in File → Speech models (or with “voicedesk models add-speaker FILE”). Until then the text comes without labels.</source>
        <translation>Las etiquetas de hablante necesitan el modelo de hablantes, que no está instalado. Descárguelo (unos {size} MB, una sola vez) o añada un archivo .onnx de CAM++ en Archivo → Modelos de voz (o con «voicedesk models add-speaker ARCHIVO»). Hasta entonces el texto llega sin etiquetas.</translation>
    </message>
    <message>
        <source>Download speaker model</source>
        <translation>Descargar modelo de hablantes</translation>
    </message>
</context>
<context>
    <name>SpeakerModel</name>
    <message>
        <source>Cannot save the speaker model in {folder}: {reason}</source>
        <translation>No se puede guardar el modelo de hablantes en {folder}: {reason}</translation>
    </message>
    <message>
        <source>The file downloaded from {host} {problem}; it was discarded and the speaker model was not changed</source>
        <translation>El archivo descargado de {host} no sirve como modelo de hablantes ({problem}); se descartó y el modelo de hablantes no ha cambiado</translation>
    </message>
    <message>
        <source>The speaker model was not downloaded: {reason}</source>
        <translation>El modelo de hablantes no se descargó: {reason}</translation>
    </message>
    <message>
        <source>The download of the speaker model from {host} broke off ({done} of {total} bytes); run it again</source>
        <translation>La descarga del modelo de hablantes desde {host} se interrumpió ({done} de {total} bytes); vuelva a iniciarla</translation>
    </message>
    <message>
        <source>The server sent more than a speaker model ({size} bytes); the download was stopped and nothing was kept</source>
        <translation>El servidor envió más de lo que ocupa un modelo de hablantes ({size} bytes); se detuvo la descarga y no se ha conservado nada</translation>
    </message>
    <message>
        <source>Cannot save the speaker model: {reason}</source>
        <translation>No se puede guardar el modelo de hablantes: {reason}</translation>
    </message>
    <message>
        <source>{host} redirected the speaker model download elsewhere; redirect refused ({reason})</source>
        <translation>{host} redirigió la descarga del modelo de hablantes a otro sitio; redirección rechazada ({reason})</translation>
    </message>
    <message>
        <source>{host} answered HTTP {code} for the speaker model; try again later, or add the file yourself (voicedesk models add-speaker FILE)</source>
        <translation>{host} respondió HTTP {code} para el modelo de hablantes; inténtelo más tarde o añada el archivo usted mismo (voicedesk models add-speaker ARCHIVO)</translation>
    </message>
    <message>
        <source>Cannot reach {host} to download the speaker model (no network?): {reason}. Get the .onnx file another way and add it from a file (voicedesk models add-speaker FILE)</source>
        <translation>No se puede contactar con {host} para descargar el modelo de hablantes (¿sin red?): {reason}. Consiga el archivo .onnx de otra forma y añádalo desde un archivo (voicedesk models add-speaker ARCHIVO)</translation>
    </message>
    <message>
        <source>The download of the speaker model from {host} broke off: {reason}; run it again</source>
        <translation>La descarga del modelo de hablantes desde {host} se interrumpió: {reason}; vuelva a iniciarla</translation>
    </message>
</context>
<context>
    <name>SpeakerNaming</name>
    <message>
        <source>Rename spea&amp;ker…</source>
        <translation>Cambiar el &amp;nombre del hablante…</translation>
    </message>
    <message>
        <source>Mer&amp;ge speaker into</source>
        <translation>&amp;Fusionar el hablante con</translation>
    </message>
    <message>
        <source>Rename {name}…</source>
        <translation>Cambiar el nombre de {name}…</translation>
    </message>
    <message>
        <source>Merge {name} into</source>
        <translation>Fusionar a {name} con</translation>
    </message>
    <message>
        <source>Rename speaker</source>
        <translation>Cambiar el nombre del hablante</translation>
    </message>
    <message>
        <source>New name for {name} (empty: the default name):</source>
        <translation>Nuevo nombre para {name} (vacío: el nombre predeterminado):</translation>
    </message>
</context>
<context>
    <name>Speakers</name>
    <message>
        <source>Speaker {number}</source>
        <translation>Hablante {number}</translation>
    </message>
</context>
<context>
    <name>SystemAudio</name>
    <message>
        <source>macOS does not let voicedesk record system audio. Open System Settings → Privacy &amp; Security → Screen &amp; System Audio Recording, turn on voicedesk, then quit and open voicedesk again.</source>
        <translation>macOS no permite que voicedesk grabe el audio del sistema. Abra Ajustes del Sistema → Privacidad y seguridad → Grabación de pantalla y audio del sistema, active voicedesk y luego cierre y vuelva a abrir voicedesk.</translation>
    </message>
    <message>
        <source>System audio could not start: {reason}</source>
        <translation>No se pudo iniciar el audio del sistema: {reason}</translation>
    </message>
    <message>
        <source>System audio</source>
        <translation>Audio del sistema</translation>
    </message>
    <message>
        <source>System audio needs macOS 13 or later</source>
        <translation>El audio del sistema requiere macOS 13 o posterior</translation>
    </message>
    <message>
        <source>System audio could not start: macOS lists no display</source>
        <translation>No se pudo iniciar el audio del sistema: macOS no muestra ninguna pantalla</translation>
    </message>
    <message>
        <source>System audio is unavailable: no sound server (PulseAudio/PipeWire) is running</source>
        <translation>El audio del sistema no está disponible: no hay ningún servidor de sonido (PulseAudio/PipeWire) en marcha</translation>
    </message>
    <message>
        <source>System audio is unavailable: {reason}</source>
        <translation>El audio del sistema no está disponible: {reason}</translation>
    </message>
    <message>
        <source>Cannot list the outputs to record: {reason}</source>
        <translation>No se pueden enumerar las salidas que grabar: {reason}</translation>
    </message>
    <message>
        <source>System audio cannot be recorded: the system lists no output device</source>
        <translation>No se puede grabar el audio del sistema: el sistema no muestra ningún dispositivo de salida</translation>
    </message>
    <message>
        <source>The output &apos;{name}&apos; is gone (unplugged?)</source>
        <translation>La salida «{name}» ya no está (¿desconectada?)</translation>
    </message>
    <message>
        <source>Cannot record system audio from &apos;{name}&apos;: {reason}</source>
        <translation>No se puede grabar el audio del sistema de «{name}»: {reason}</translation>
    </message>
    <message>
        <source>System audio from &apos;{name}&apos; stopped (the output was unplugged or changed?)</source>
        <translation>El audio del sistema de «{name}» se detuvo (¿se desconectó o cambió la salida?)</translation>
    </message>
    <message>
        <source>System audio from &apos;{name}&apos; stopped delivering sound (unplugged?)</source>
        <translation>El audio del sistema de «{name}» dejó de llegar (¿desconectado?)</translation>
    </message>
</context>
<context>
    <name>TextTranslator</name>
    <message>
        <source>Translation failed: {reason}</source>
        <translation>La traducción ha fallado: {reason}</translation>
    </message>
    <message>
        <source>Cannot translate: the source language is not known.</source>
        <translation>No se puede traducir: no se conoce el idioma de origen.</translation>
    </message>
    <message>
        <source>Cannot translate: the target language is not known.</source>
        <translation>No se puede traducir: no se conoce el idioma de destino.</translation>
    </message>
</context>
<context>
    <name>TranscriptEditing</name>
    <message>
        <source>Edit line</source>
        <translation>Editar la línea</translation>
    </message>
    <message>
        <source>&amp;Undo edit</source>
        <translation>&amp;Deshacer la edición</translation>
    </message>
    <message>
        <source>&amp;Edit line</source>
        <translation>&amp;Editar la línea</translation>
    </message>
    <message>
        <source>S&amp;plit line here</source>
        <translation>Dividir la línea a&amp;quí</translation>
    </message>
    <message>
        <source>&amp;Merge with next line</source>
        <translation>&amp;Unir con la línea siguiente</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>&amp;Buscar…</translation>
    </message>
    <message>
        <source>Find &amp;next</source>
        <translation>Buscar &amp;siguiente</translation>
    </message>
    <message>
        <source>Find pre&amp;vious</source>
        <translation>Buscar anteri&amp;or</translation>
    </message>
    <message>
        <source>Split here</source>
        <translation>Dividir aquí</translation>
    </message>
    <message>
        <source>Merge with next</source>
        <translation>Unir con la siguiente</translation>
    </message>
    <message>
        <source>Undo edit</source>
        <translation>Deshacer la edición</translation>
    </message>
    <message>
        <source>Choose a language in “Translate to” to translate typed text.</source>
        <translation>Elija un idioma en «Traducir a» para traducir el texto escrito.</translation>
    </message>
    <message>
        <source>Choose the spoken language: typed text is translated from it.</source>
        <translation>Elija el idioma hablado: el texto escrito se traduce desde él.</translation>
    </message>
    <message>
        <source>Whisper translates speech, not typed text. {problem}</source>
        <translation>Whisper traduce la voz, no el texto escrito. {problem}</translation>
    </message>
</context>
<context>
    <name>TranscriptPanes</name>
    <message>
        <source>The transcript appears here as you speak.</source>
        <translation>La transcripción aparece aquí mientras habla.</translation>
    </message>
    <message>
        <source>Choose a language in “Translate to” to see a translation here.</source>
        <translation>Elija un idioma en «Traducir a» para ver aquí una traducción.</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>Transcripción</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>Traducción</translation>
    </message>
    <message>
        <source>(typed)</source>
        <translation>(escrito)</translation>
    </message>
    <message>
        <source>(outdated)</source>
        <translation>(desactualizada)</translation>
    </message>
</context>
<context>
    <name>TranslatePlan</name>
    <message>
        <source>voicedesk languages install {pack} (or File → Language packs)</source>
        <translation>voicedesk languages install {pack} (o Archivo → Paquetes de idioma)</translation>
    </message>
    <message>
        <source>The Whisper model &apos;{model}&apos; is English-only (.en): it cannot translate speech. Choose a multilingual model (for example base or small) to translate into English.</source>
        <translation>El modelo de Whisper &apos;{model}&apos; es solo para inglés (.en): no puede traducir la voz. Elija un modelo multilingüe (por ejemplo, base o small) para traducir al inglés.</translation>
    </message>
    <message>
        <source>The Whisper model is English-only (.en): it cannot translate speech. Choose a multilingual model (for example base or small) to translate into English.</source>
        <translation>El modelo de Whisper es solo para inglés (.en): no puede traducir la voz. Elija un modelo multilingüe (por ejemplo, base o small) para traducir al inglés.</translation>
    </message>
    <message>
        <source>{command}, or {source}-en and en-{target} to translate through English</source>
        <translation>{command}, o {source}-en y en-{target} para traducir a través del inglés</translation>
    </message>
    <message>
        <source>No language pack translates {pair} (and this English-only Whisper model cannot translate speech). Get one with: {how}.</source>
        <translation>Ningún paquete de idioma traduce {pair} (y este modelo de Whisper solo para inglés no puede traducir la voz). Consiga uno con: {how}.</translation>
    </message>
    <message>
        <source>No language pack translates {pair}. Get one with: {how}.</source>
        <translation>Ningún paquete de idioma traduce {pair}. Consiga uno con: {how}.</translation>
    </message>
    <message>
        <source>Whisper translates speech into English only; for {target} it also needs the {pack} language pack. Get it with: {command}.</source>
        <translation>Whisper solo traduce la voz al inglés; para {target} necesita además el paquete de idioma {pack}. Consígalo con: {command}.</translation>
    </message>
    <message>
        <source>no download</source>
        <translation>sin descarga</translation>
    </message>
    <message>
        <source>installed</source>
        <translation>instalado</translation>
    </message>
    <message>
        <source>needs pack {pack}</source>
        <translation>necesita el paquete {pack}</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>no disponible</translation>
    </message>
</context>
<context>
    <name>TranslateTargets</name>
    <message>
        <source>Translate each finished sentence into this language; languages that need a language pack say which</source>
        <translation>Traduce cada frase terminada a este idioma; los idiomas que necesitan un paquete de idioma indican cuál</translation>
    </message>
    <message>
        <source>&amp;Auto</source>
        <translation>&amp;Automático</translation>
    </message>
    <message>
        <source>Whisper for English, Argos language packs for other languages</source>
        <translation>Whisper para el inglés, paquetes de idioma de Argos para los demás idiomas</translation>
    </message>
    <message>
        <source>&amp;Whisper</source>
        <translation>&amp;Whisper</translation>
    </message>
    <message>
        <source>Whisper translates the speech into English (then Argos, for other languages)</source>
        <translation>Whisper traduce la voz al inglés (y después Argos, para otros idiomas)</translation>
    </message>
    <message>
        <source>A&amp;rgos</source>
        <translation>A&amp;rgos</translation>
    </message>
    <message>
        <source>Argos language packs translate the transcribed text</source>
        <translation>Los paquetes de idioma de Argos traducen el texto transcrito</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Ninguno</translation>
    </message>
    <message>
        <source>Language packs unavailable: {reason}</source>
        <translation>Paquetes de idioma no disponibles: {reason}</translation>
    </message>
    <message>
        <source>Translation to {language} is not available yet: it needs the {pack} language pack. Get it with: {command}. Translation stays off until then.</source>
        <translation>La traducción a {language} aún no está disponible: necesita el paquete de idioma {pack}. Consígalo con: {command}. Hasta entonces, la traducción queda desactivada.</translation>
    </message>
    <message>
        <source>Translation to {language} is not available with this model and engine. Translation stays off.</source>
        <translation>La traducción a {language} no está disponible con este modelo y este motor. La traducción queda desactivada.</translation>
    </message>
    <message>
        <source>{language} is the spoken language: there is nothing to translate. Pick another language in “Translate to”.</source>
        <translation>{language} es el idioma hablado: no hay nada que traducir. Elija otro idioma en «Traducir a».</translation>
    </message>
    <message>
        <source>Translation to {language} is not available with this model and translation engine. Pick another language in “Translate to”, or choose Edit → Translation engine → Auto.</source>
        <translation>La traducción a {language} no está disponible con este modelo y este motor de traducción. Elija otro idioma en «Traducir a», o elija Editar → Motor de traducción → Automático.</translation>
    </message>
</context>
<context>
    <name>Translation</name>
    <message>
        <source>Cannot translate: the spoken language was not detected</source>
        <translation>No se puede traducir: no se ha detectado el idioma hablado</translation>
    </message>
    <message>
        <source>Translation fell too far behind the speech: some sentences were not translated</source>
        <translation>La traducción se quedó demasiado atrás respecto a la voz: algunas frases no se tradujeron</translation>
    </message>
    <message>
        <source>This speech model cannot translate speech</source>
        <translation>Este modelo de voz no puede traducir la voz</translation>
    </message>
    <message>
        <source>Whisper could not translate a sentence: {reason}</source>
        <translation>Whisper no pudo traducir una frase: {reason}</translation>
    </message>
    <message>
        <source>Translation is falling behind: {count} segments are waiting</source>
        <translation>La traducción se está quedando atrás: hay {count} segmentos en espera</translation>
    </message>
    <message>
        <source>Translation {pair} failed: {reason}</source>
        <translation>La traducción {pair} ha fallado: {reason}</translation>
    </message>
</context>
<context>
    <name>TypedTextBox</name>
    <message>
        <source>Type to translate…</source>
        <translation>Escriba para traducir…</translation>
    </message>
    <message>
        <source>Text to translate</source>
        <translation>Texto para traducir</translation>
    </message>
    <message>
        <source>Typed text is translated into the Translate to language and added to the transcript as a typed line</source>
        <translation>El texto escrito se traduce al idioma de «Traducir a» y se añade a la transcripción como línea escrita</translation>
    </message>
    <message>
        <source>Translate</source>
        <translation>Traducir</translation>
    </message>
    <message>
        <source>Translate the typed text and add it to the transcript (Enter)</source>
        <translation>Traducir el texto escrito y añadirlo a la transcripción (Intro)</translation>
    </message>
    <message>
        <source>Typed text status</source>
        <translation>Estado del texto escrito</translation>
    </message>
    <message>
        <source>Translating…</source>
        <translation>Traduciendo…</translation>
    </message>
</context>
<context>
    <name>Vocabulary</name>
    <message>
        <source>The vocabulary is longer than Whisper&apos;s prompt allows ({budget} tokens): {kept} of {listed} terms are used; not used: {dropped}. Put the most important terms first.</source>
        <translation>El vocabulario es más largo de lo que admite el prompt de Whisper ({budget} tokens): se usan {kept} de {listed} términos; sin usar: {dropped}. Ponga primero los términos más importantes.</translation>
    </message>
    <message>
        <source>Lines longer than {chars} characters left out ({count}): a term is a name or a short phrase.</source>
        <translation>Se omiten las líneas de más de {chars} caracteres ({count}): un término es un nombre o una frase corta.</translation>
    </message>
    <message>
        <source>Duplicates left out: {count}.</source>
        <translation>Duplicados omitidos: {count}.</translation>
    </message>
    <message>
        <source>Only the first {count} terms are read.</source>
        <translation>Solo se leen los primeros {count} términos.</translation>
    </message>
    <message>
        <source>{path} is a folder; give a text file with one term per line</source>
        <translation>{path} es una carpeta; indique un archivo de texto con un término por línea</translation>
    </message>
    <message>
        <source>No vocabulary file at {path}</source>
        <translation>No hay ningún archivo de vocabulario en {path}</translation>
    </message>
    <message>
        <source>Cannot read the vocabulary file {path}: {reason}</source>
        <translation>No se puede leer el archivo de vocabulario {path}: {reason}</translation>
    </message>
    <message>
        <source>{name} is too large for a vocabulary ({size} kB; at most {limit} kB): give a list of names and terms, one per line</source>
        <translation>{name} es demasiado grande para un vocabulario ({size} kB; como máximo {limit} kB): indique una lista de nombres y términos, uno por línea</translation>
    </message>
    <message>
        <source>{name} is not a UTF-8 text file: save the list as plain text</source>
        <translation>{name} no es un archivo de texto UTF-8: guarde la lista como texto sin formato</translation>
    </message>
    <message>
        <source>{name} is not a text file: give a list of names and terms, one per line</source>
        <translation>{name} no es un archivo de texto: indique una lista de nombres y términos, uno por línea</translation>
    </message>
    <message>
        <source>Cannot save the vocabulary in {path}: {reason}</source>
        <translation>No se puede guardar el vocabulario en {path}: {reason}</translation>
    </message>
</context>
<context>
    <name>VocabularyDialog</name>
    <message>
        <source>Vocabulary</source>
        <translation>Vocabulario</translation>
    </message>
    <message>
        <source>Names and terms Whisper should spell right: people, products, jargon. One per line; # starts a comment. The first ones matter most: only what fits Whisper&apos;s prompt is used. Applies from the next Start.</source>
        <translation>Nombres y términos que Whisper debe escribir bien: personas, productos, jerga. Uno por línea; # inicia un comentario. Los primeros son los que más cuentan: solo se usa lo que cabe en el prompt de Whisper. Se aplica a partir del próximo Iniciar.</translation>
    </message>
    <message>
        <source>Zbigniew Kowalczyk
Quorvex
# a comment</source>
        <translation>Zbigniew Kowalczyk
Quorvex
# un comentario</translation>
    </message>
    <message>
        <source>Vocabulary terms</source>
        <translation>Términos del vocabulario</translation>
    </message>
    <message>
        <source>One name or term per line</source>
        <translation>Un nombre o término por línea</translation>
    </message>
    <message>
        <source>Vocabulary status</source>
        <translation>Estado del vocabulario</translation>
    </message>
    <message>
        <source>Saved in {path}, which the command line takes as --vocabulary FILE.</source>
        <translation>Guardado en {path}, que la línea de órdenes admite como --vocabulary ARCHIVO.</translation>
    </message>
    <message numerus="yes">
        <source>%n term(s), %1 of %2 prompt tokens used.</source>
        <translation>
            <numerusform>%n término, %1 de %2 tokens del prompt usados.</numerusform>
            <numerusform>%n términos, %1 de %2 tokens del prompt usados.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WaveformView</name>
    <message>
        <source>Input over the last seconds: green where the voice detector hears speech</source>
        <translation>La entrada de los últimos segundos: en verde donde el detector de voz oye habla</translation>
    </message>
    <message>
        <source>Input waveform</source>
        <translation>Forma de onda de la entrada</translation>
    </message>
    <message>
        <source>No input</source>
        <translation>Sin entrada</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>Voz</translation>
    </message>
    <message>
        <source>Silence</source>
        <translation>Silencio</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>No network connection: the model cannot be downloaded now. Choose a model folder you already have (a faster-whisper model), or come back when online.</source>
        <translation>No hay conexión a la red: ahora no se puede descargar el modelo. Elija una carpeta de modelo que ya tenga (un modelo de faster-whisper) o vuelva cuando tenga conexión.</translation>
    </message>
    <message>
        <source>Welcome to voicedesk</source>
        <translation>Bienvenido a voicedesk</translation>
    </message>
    <message>
        <source>&lt;b&gt;voicedesk needs a speech model to start.&lt;/b&gt;&lt;br&gt;It runs on this computer: what you say never leaves it.</source>
        <translation>&lt;b&gt;voicedesk necesita un modelo de voz para empezar.&lt;/b&gt;&lt;br&gt;Funciona en este ordenador: lo que usted dice nunca sale de él.</translation>
    </message>
    <message>
        <source>Recommended here: &lt;b&gt;{name}&lt;/b&gt; ({size}), because {reason}.</source>
        <translation>Recomendado aquí: &lt;b&gt;{name}&lt;/b&gt; ({size}), porque {reason}.</translation>
    </message>
    <message>
        <source>Checking the network…</source>
        <translation>Comprobando la red…</translation>
    </message>
    <message>
        <source>Download {name} ({size})</source>
        <translation>Descargar {name} ({size})</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Choose a model folder…</source>
        <translation>Elegir una carpeta de modelo…</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Más tarde</translation>
    </message>
    <message>
        <source>Download progress</source>
        <translation>Progreso de la descarga</translation>
    </message>
    <message>
        <source>Download the recommended model; then it works offline</source>
        <translation>Descargar el modelo recomendado; después funciona sin conexión</translation>
    </message>
    <message>
        <source>Stop the download; nothing is kept</source>
        <translation>Detener la descarga; no se conserva nada</translation>
    </message>
    <message>
        <source>Use a faster-whisper model folder you already have</source>
        <translation>Usar una carpeta de modelo de faster-whisper que ya tenga</translation>
    </message>
    <message>
        <source>Close; a model can be chosen later in File, Speech models</source>
        <translation>Cerrar; puede elegir un modelo más tarde en Archivo, Modelos de voz</translation>
    </message>
    <message>
        <source>Download cancelled; nothing was kept.</source>
        <translation>Descarga cancelada; no se ha conservado nada.</translation>
    </message>
    <message>
        <source>Downloading {name}…</source>
        <translation>Descargando {name}…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <source>{reason} You can choose a model folder instead.</source>
        <translation>{reason} También puede elegir una carpeta de modelo.</translation>
    </message>
    <message>
        <source>Choose a faster-whisper model folder</source>
        <translation>Elija una carpeta de modelo de faster-whisper</translation>
    </message>
</context>
<context>
    <name>WindowChoices</name>
    <message>
        <source>{name} (default)</source>
        <translation>{name} (predeterminado)</translation>
    </message>
    <message>
        <source>No microphone found</source>
        <translation>No se ha encontrado ningún micrófono</translation>
    </message>
    <message>
        <source>Look again</source>
        <translation>Buscar de nuevo</translation>
    </message>
    <message>
        <source>No microphone found. Connect one and press ⟳, or open an audio file (File → Open).</source>
        <translation>No se ha encontrado ningún micrófono. Conecte uno y pulse ⟳, o abra un archivo de audio (Archivo → Abrir).</translation>
    </message>
    <message>
        <source>Auto-detect</source>
        <translation>Detección automática</translation>
    </message>
    <message>
        <source>Language packs…</source>
        <translation>Paquetes de idioma…</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>Elegir carpeta…</translation>
    </message>
    <message>
        <source>{problem}. Choose a folder that holds a faster-whisper model.</source>
        <translation>{problem}. Elija una carpeta que contenga un modelo de faster-whisper.</translation>
    </message>
    <message>
        <source>Choose a faster-whisper model folder</source>
        <translation>Elija una carpeta de modelo de faster-whisper</translation>
    </message>
    <message>
        <source>No speech model found. Download one (File → Speech models) or choose a folder with a faster-whisper model (config.json, model.bin).</source>
        <translation>No se ha encontrado ningún modelo de voz. Descargue uno (Archivo → Modelos de voz) o elija una carpeta con un modelo de faster-whisper (config.json, model.bin).</translation>
    </message>
</context>
</TS>
