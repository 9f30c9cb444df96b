<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
    <context>
        <name />
        <message>
            <location filename="../../ui/app.py" line="+167" />
            <source>Sync status</source>
            <translation>Estado de la sincronización</translation>
        </message>
        <message>
            <location line="+15" />
            <source>&amp;Lock</source>
            <translation>&amp;Bloquear</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Lock PeerDesk now (Ctrl+L)</source>
            <translation>Bloquear PeerDesk ahora (Ctrl+L)</translation>
        </message>
        <message>
            <location line="-5" />
            <source>&amp;Profile</source>
            <translation>&amp;Perfil</translation>
        </message>
        <message>
            <location line="+8" />
            <source>&amp;Go</source>
            <translation>&amp;Ir a</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Sections list</source>
            <translation>Lista de secciones</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Crisis support…</source>
            <translation>&amp;Apoyo en crisis…</translation>
        </message>
        <message>
            <location filename="../../ui/roles.py" line="+169" />
            <location filename="../../ui/screens/today.py" line="+101" />
            <source>Today</source>
            <translation>Hoy</translation>
        </message>
        <message>
            <location line="+3" />
            <location filename="../../ui/screens/participants.py" line="+77" />
            <location line="+23" />
            <source>Participants</source>
            <translation>Participantes</translation>
        </message>
        <message>
            <location line="+3" />
            <location filename="../../ui/screens/my_work.py" line="+188" />
            <location filename="../../ui/screens/notes.py" line="+77" />
            <location filename="../../ui/screens/report_tabs.py" line="+123" />
            <location filename="../../ui/screens/team.py" line="+99" />
            <location filename="../../ui/screens/today.py" line="+59" />
            <source>Notes</source>
            <translation>Notas</translation>
        </message>
        <message>
            <location line="+3" />
            <location filename="../../ui/screens/report_tabs.py" line="+28" />
            <location filename="../../ui/screens/today.py" line="+13" />
            <location filename="../../ui/screens/trips.py" line="+104" />
            <source>Trips</source>
            <translation>Viajes</translation>
        </message>
        <message>
            <location line="+3" />
            <location filename="../../ui/screens/week.py" line="+93" />
            <source>Week</source>
            <translation>Semana</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/directory.py" line="+193" />
            <source>Resources</source>
            <translation>Recursos</translation>
        </message>
        <message>
            <location line="+2" />
            <location filename="../../ui/screens/my_work.py" line="-105" />
            <location line="+7" />
            <source>My work</source>
            <translation>Mi trabajo</translation>
        </message>
        <message>
            <location line="+2" />
            <location line="+45" />
            <location filename="../../ui/selftest.py" line="+51" />
            <source>Sync</source>
            <translation>Sincronizar</translation>
        </message>
        <message>
            <location line="-2" />
            <location filename="../../ui/screens/team.py" line="-40" />
            <location line="+47" />
            <source>Team</source>
            <translation>Equipo</translation>
        </message>
        <message>
            <location line="-62" />
            <source>PeerDesk — {profile}</source>
            <translation>PeerDesk — {profile}</translation>
        </message>
        <message>
            <location filename="../../ui/app.py" line="+30" />
            <source>Sections</source>
            <translation>Secciones</translation>
        </message>
        <message>
            <location line="+174" />
            <source>Demo agency not available: {reason}</source>
            <translation>Agencia de demostración no disponible: {reason}</translation>
        </message>
        <message>
            <location filename="../../ui/application.py" line="+81" />
            <source>PeerDesk cannot start: the agency's provisioning file has a problem. Ask your IT staff to fix it.</source>
            <translation>PeerDesk no puede iniciarse: el archivo de aprovisionamiento de la agencia tiene un problema. Pida a su personal de TI que lo corrija.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>PeerDesk cannot start: its installed files have been changed. Ask your IT staff to reinstall it.</source>
            <translation>PeerDesk no puede iniciarse: sus archivos instalados han sido modificados. Pida a su personal de TI que lo reinstale.</translation>
        </message>
        <message>
            <location line="+8" />
            <source>PeerDesk cannot start</source>
            <translation>PeerDesk no puede iniciarse</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/new_passphrase.py" line="+38" />
            <source>very weak</source>
            <translation>muy débil</translation>
        </message>
        <message>
            <location line="+0" />
            <source>weak</source>
            <translation>débil</translation>
        </message>
        <message>
            <location line="+0" />
            <source>fair</source>
            <translation>regular</translation>
        </message>
        <message>
            <location line="+0" />
            <source>good</source>
            <translation>buena</translation>
        </message>
        <message>
            <location line="+0" />
            <source>strong</source>
            <translation>fuerte</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/profile_setup.py" line="+83" />
            <source>New PeerDesk profile</source>
            <translation>Nuevo perfil de PeerDesk</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Agency of this laptop</source>
            <translation>Agencia de esta computadora</translation>
        </message>
        <message>
            <location line="+4" />
            <location filename="../../ui/dialogs/unlock.py" line="+165" />
            <source>Erase rule</source>
            <translation>Regla de borrado</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Your profile keeps your notes encrypted on this computer. Choose a passphrase of at least 15 characters: a few unrelated words you will remember work well. No one can open the profile without it.</source>
            <translation>Su perfil guarda sus notas cifradas en esta computadora. Elija una frase de contraseña de al menos 15 caracteres: funcionan bien unas cuantas palabras sin relación entre sí que usted pueda recordar. Nadie puede abrir el perfil sin ella.</translation>
        </message>
        <message>
            <location line="+6" />
            <source>About profiles</source>
            <translation>Acerca de los perfiles</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Profile name</source>
            <translation>Nombre del perfil</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Profile name check</source>
            <translation>Revisión del nombre del perfil</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/new_passphrase.py" line="+32" />
            <location filename="../../ui/dialogs/unlock.py" line="-58" />
            <source>Passphrase</source>
            <translation>Frase de contraseña</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Passphrase rules</source>
            <translation>Reglas de la frase de contraseña</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Passphrase strength meter</source>
            <translation>Medidor de seguridad de la frase de contraseña</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Passphrase strength</source>
            <translation>Seguridad de la frase de contraseña</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Estimated guessing time</source>
            <translation>Tiempo estimado para adivinarla</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Passphrase suggestions</source>
            <translation>Sugerencias para la frase de contraseña</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Confirm passphrase</source>
            <translation>Confirmar la frase de contraseña</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Passphrase confirmation check</source>
            <translation>Revisión de la confirmación de la frase de contraseña</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/profile_setup.py" line="+15" />
            <source>What the profile is for</source>
            <translation>Para qué es el perfil</translation>
        </message>
        <message>
            <location line="+1" />
            <source>A peer specialist: notes, trips and resources</source>
            <translation>Un especialista de pares: notas, viajes y recursos</translation>
        </message>
        <message>
            <location line="+1" />
            <source>A supervisor: review the team's notes, reports</source>
            <translation>Un supervisor: revisar las notas del equipo, informes</translation>
        </message>
        <message>
            <location line="+1" />
            <source>About the role</source>
            <translation>Sobre el rol</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/new_passphrase.py" line="+2" />
            <source>&amp;Show passphrase</source>
            <translation>&amp;Mostrar la frase de contraseña</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Show passphrase</source>
            <translation>Mostrar la frase de contraseña</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/profile_setup.py" line="+3" />
            <source>Error</source>
            <translation>Error</translation>
        </message>
        <message>
            <location line="+5" />
            <source>C&amp;reate profile</source>
            <translation>C&amp;rear perfil</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Create profile</source>
            <translation>Crear perfil</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/export.py" line="+37" />
            <source>CSV (spreadsheet)</source>
            <translation>CSV (hoja de cálculo)</translation>
        </message>
        <message>
            <location line="+0" />
            <source>PDF document</source>
            <translation>documento PDF</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Export a report</source>
            <translation>Exportar un informe</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Write “{report}” to a file as {format}?</source>
            <translation>¿Escribir «{report}» en un archivo como {format}?</translation>
        </message>
        <message>
            <location line="+12" />
            <source>This report holds information about the people your team supports (protected by 42 CFR Part 2 and HIPAA). The file is NOT encrypted: anyone who can open it can read it. Save it only on an encrypted drive or the agency's secure share, give it only to people allowed to see it, and delete it when you are done. The notice below is printed at the top of the file. This export is recorded in the activity log.</source>
            <translation>Este informe contiene información sobre las personas que su equipo apoya (protegida por 42 CFR Parte 2 y HIPAA). El archivo NO está cifrado: cualquiera que pueda abrirlo puede leerlo. Guárdelo solo en una unidad cifrada o en la carpeta segura de la agencia, entréguelo solo a personas autorizadas a verlo y bórrelo cuando termine. El aviso de abajo se imprime al principio del archivo. Esta exportación queda registrada en el registro de actividad.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>This report holds no information about participants. The file is not encrypted. This export is recorded in the activity log.</source>
            <translation>Este informe no contiene información sobre participantes. El archivo no está cifrado. Esta exportación queda registrada en el registro de actividad.</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Export warning</source>
            <translation>Advertencia de exportación</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Redisclosure notice printed in the file</source>
            <translation>Aviso de no divulgación impreso en el archivo</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Notice printed in the file:</source>
            <translation>&amp;Aviso impreso en el archivo:</translation>
        </message>
        <message>
            <location line="+6" />
            <source>&amp;Write the file</source>
            <translation>&amp;Escribir el archivo</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Write the file</source>
            <translation>Escribir el archivo</translation>
        </message>
        <message>
            <location line="+5" />
            <location filename="../../ui/dialogs/profile_setup.py" line="+5" />
            <location line="+1" />
            <location filename="../../ui/dialogs/recovery.py" line="+130" />
            <location line="+1" />
            <location filename="../../ui/dialogs/unlock.py" line="+22" />
            <location line="+1" />
            <location filename="../../ui/screens/participant_form.py" line="+210" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Cancel the export</source>
            <translation>Cancelar la exportación</translation>
        </message>
        <message>
            <location line="+22" />
            <source>Choose the billing provider file</source>
            <translation>Elija el archivo del proveedor de facturación</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Billing provider (*.toml)</source>
            <translation>Proveedor de facturación (*.toml)</translation>
        </message>
        <message>
            <location line="+8" />
            <source>CSV files (*.csv)</source>
            <translation>Archivos CSV (*.csv)</translation>
        </message>
        <message>
            <location line="+0" />
            <source>PDF files (*.pdf)</source>
            <translation>Archivos PDF (*.pdf)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Export the report</source>
            <translation>Exportar el informe</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/profile_setup.py" line="+9" />
            <source>Profile &amp;name:</source>
            <translation>&amp;Nombre del perfil:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/new_passphrase.py" line="+25" />
            <source>&amp;Passphrase:</source>
            <translation>&amp;Frase de contraseña:</translation>
        </message>
        <message>
            <location line="+9" />
            <source>&amp;Confirm passphrase:</source>
            <translation>&amp;Confirmar la frase:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/profile_setup.py" line="+2" />
            <source>Profile is &amp;for:</source>
            <translation>El perfil es &amp;para:</translation>
        </message>
        <message>
            <location line="+39" />
            <source>Letters, digits, spaces, “.”, “_” or “-”; up to 64 characters.</source>
            <translation>Letras, números, espacios, “.”, “_” o “-”; hasta 64 caracteres.</translation>
        </message>
        <message>
            <location line="+6" />
            <source>This name cannot be used. Use only letters, digits, spaces, “.”, “_” or “-”, start with a letter or digit and do not end with “.”.</source>
            <translation>Este nombre no se puede usar. Use solo letras, números, espacios, “.”, “_” o “-”; empiece con una letra o un número y no termine con “.”.</translation>
        </message>
        <message>
            <location line="+6" />
            <source>A profile with this name already exists on this computer. Choose another name.</source>
            <translation>Ya existe un perfil con este nombre en esta computadora. Elija otro nombre.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>This name can be used.</source>
            <translation>Este nombre se puede usar.</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/new_passphrase.py" line="+34" />
            <source>At least 15 characters. Spaces and any language are fine.</source>
            <translation>Al menos 15 caracteres. Puede usar espacios y cualquier idioma.</translation>
        </message>
        <message>
            <location line="+15" />
            <source>Not accepted yet:</source>
            <translation>Todavía no se acepta:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Meets the passphrase rules.</source>
            <translation>Cumple con las reglas de la frase de contraseña.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Time to guess it: not estimated, because of the problem above.</source>
            <translation>Tiempo para adivinarla: no se calcula, por el problema de arriba.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Time to guess it offline (estimate): %s</source>
            <translation>Tiempo para adivinarla sin conexión (estimado): %s</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Tips:</source>
            <translation>Consejos:</translation>
        </message>
        <message>
            <location line="+14" />
            <source>Strength: not rated yet</source>
            <translation>Seguridad: todavía sin calificar</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Strength: %s (%d of 4)</source>
            <translation>Seguridad: %s (%d de 4)</translation>
        </message>
        <message>
            <location line="+11" />
            <source>Type the passphrase again to confirm it.</source>
            <translation>Escriba la frase de contraseña otra vez para confirmarla.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>The passphrases match.</source>
            <translation>Las frases de contraseña coinciden.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>The passphrases do not match.</source>
            <translation>Las frases de contraseña no coinciden.</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/profile_setup.py" line="+27" />
            <source>A supervisor profile reviews the notes your team syncs and makes reports; it holds no notes of its own. IT gives you a supervisor invite code.</source>
            <translation>Un perfil de supervisor revisa las notas que su equipo sincroniza y hace informes; no tiene notas propias. El personal de TI le da un código de invitación de supervisor.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>For your own notes, trips and resource lookups.</source>
            <translation>Para sus propias notas, viajes y búsquedas de recursos.</translation>
        </message>
        <message>
            <location line="+29" />
            <source>Creating the profile and its keys. This takes a moment…</source>
            <translation>Creando el perfil y sus claves. Esto toma un momento…</translation>
        </message>
        <message>
            <location line="+19" />
            <source>A profile with this name already exists. Choose another name.</source>
            <translation>Ya existe un perfil con este nombre. Elija otro nombre.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>The passphrase was refused:</source>
            <translation>La frase de contraseña no fue aceptada:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>The profile was not created.</source>
            <translation>No se creó el perfil.</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/unlock.py" line="-35" />
            <source>Unlock PeerDesk</source>
            <translation>Desbloquear PeerDesk</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Profile</source>
            <translation>Perfil</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Unlock message</source>
            <translation>Mensaje de desbloqueo</translation>
        </message>
        <message>
            <location line="+8" />
            <source>&amp;Unlock</source>
            <translation>&amp;Desbloquear</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Unlock</source>
            <translation>Desbloquear</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;New profile…</source>
            <translation>&amp;Nuevo perfil…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>New profile</source>
            <translation>Nuevo perfil</translation>
        </message>
        <message>
            <location line="+15" />
            <source>&amp;Profile:</source>
            <translation>&amp;Perfil:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>P&amp;assphrase:</source>
            <translation>&amp;Frase de contraseña:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Forgot your passphrase?</source>
            <translation>¿&amp;Olvidó su frase de contraseña?</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Forgot your passphrase?</source>
            <translation>¿Olvidó su frase de contraseña?</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Set a new passphrase with a one-time recovery code from your agency's IT</source>
            <translation>Ponga una nueva frase de contraseña con un código de recuperación de un solo uso del personal de TI de su agencia</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Choose your profile and type its passphrase.</source>
            <translation>Elija su perfil y escriba su frase de contraseña.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Instructions</source>
            <translation>Instrucciones</translation>
        </message>
        <message>
            <location line="+44" />
            <source>There is no profile on this computer yet. Choose “New profile…”.</source>
            <translation>Todavía no hay ningún perfil en esta computadora. Elija “Nuevo perfil…”.</translation>
        </message>
        <message>
            <location line="+38" />
            <source>Type your passphrase first.</source>
            <translation>Primero escriba su frase de contraseña.</translation>
        </message>
        <message>
            <location line="+31" />
            <source>Checking the passphrase…</source>
            <translation>Revisando la frase de contraseña…</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Wrong passphrase.</source>
            <translation>La frase de contraseña no es correcta.</translation>
        </message>
        <message numerus="yes">
            <location line="+3" />
            <source>%n attempt(s) left before this profile is erased.</source>
            <translation>
                <numerusform>Queda %n intento antes de que se borre este perfil.</numerusform>
                <numerusform>Quedan %n intentos antes de que se borre este perfil.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+16" />
            <source>This profile is damaged and cannot be opened. Your other profiles are not affected. Please contact your agency's IT support.</source>
            <translation>Este perfil está dañado y no se puede abrir. Sus otros perfiles no están afectados. Comuníquese con el soporte técnico (IT) de su agencia.</translation>
        </message>
        <message>
            <location line="+18" />
            <source>This profile was erased after too many wrong passphrases (or by your agency). Its notes cannot be opened on this computer any more. Please contact your agency's IT support.</source>
            <translation>Este perfil se borró después de demasiadas frases de contraseña incorrectas (o lo borró su agencia). Sus notas ya no se pueden abrir en esta computadora. Comuníquese con el soporte técnico (IT) de su agencia.</translation>
        </message>
        <message numerus="yes">
            <location line="+19" />
            <source>Too many wrong passphrases: you can try again in %n second(s).</source>
            <translation>
                <numerusform>Demasiadas frases de contraseña incorrectas: puede intentarlo otra vez en %n segundo.</numerusform>
                <numerusform>Demasiadas frases de contraseña incorrectas: puede intentarlo otra vez en %n segundos.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+12" />
            <source>You can try your passphrase again now.</source>
            <translation>Ya puede intentar con su frase de contraseña otra vez.</translation>
        </message>
        <message>
            <location filename="../../ui/labels.py" line="+20" />
            <location line="+9" />
            <source>Free text</source>
            <translation>Texto libre</translation>
        </message>
        <message>
            <location line="-8" />
            <source>GIRP</source>
            <translation>GIRP</translation>
        </message>
        <message>
            <location line="+1" />
            <source>DAP</source>
            <translation>DAP</translation>
        </message>
        <message>
            <location line="+1" />
            <source>SOAP</source>
            <translation>SOAP</translation>
        </message>
        <message>
            <location line="+7" />
            <source>GIRP (goal, intervention, response, plan)</source>
            <translation>GIRP (meta, intervención, respuesta, plan)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>DAP (data, assessment, plan)</source>
            <translation>DAP (datos, evaluación, plan)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>SOAP (subjective, objective, assessment, plan)</source>
            <translation>SOAP (subjetivo, objetivo, evaluación, plan)</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Note te&amp;xt</source>
            <translation>Te&amp;xto de la nota</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Goal</source>
            <translation>&amp;Meta</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Intervention</source>
            <translation>&amp;Intervención</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Response</source>
            <translation>&amp;Respuesta</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Plan</source>
            <translation>&amp;Plan</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Data</source>
            <translation>&amp;Datos</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Assess&amp;ment</source>
            <translation>E&amp;valuación</translation>
        </message>
        <message>
            <location line="+1" />
            <source>S&amp;ubjective</source>
            <translation>S&amp;ubjetivo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>O&amp;bjective</source>
            <translation>O&amp;bjetivo</translation>
        </message>
        <message>
            <location line="+6" />
            <source>In person</source>
            <translation>En persona</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/record_care_team.py" line="+229" />
            <source>Phone</source>
            <translation>Teléfono</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Video</source>
            <translation>Video</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/groups.py" line="+67" />
            <location filename="../../ui/workforce_labels.py" line="+35" />
            <source>Group</source>
            <translation>Grupo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Collateral (family or providers)</source>
            <translation>Colateral (familia o proveedores)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>No-show</source>
            <translation>No se presentó</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Office</source>
            <translation>Oficina</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Home</source>
            <translation>Hogar</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/record_labels.py" line="+28" />
            <source>Community</source>
            <translation>Comunidad</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Vehicle</source>
            <translation>Vehículo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Telehealth</source>
            <translation>Telesalud</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+26" />
            <location line="+14" />
            <location filename="../../ui/record_labels.py" line="+27" />
            <location line="+64" />
            <source>Other</source>
            <translation>Otro</translation>
        </message>
        <message>
            <location line="-34" />
            <source>Draft</source>
            <translation>Borrador</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/record_labels.py" line="-76" />
            <location filename="../../ui/screens/record.py" line="+228" />
            <source>Signed</source>
            <translation>Firmada</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Submitted</source>
            <translation>Enviada</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/models/review.py" line="+67" />
            <location line="+10" />
            <location filename="../../ui/screens/note_feedback.py" line="+47" />
            <location filename="../../ui/screens/review.py" line="+62" />
            <source>Approved</source>
            <translation>Aprobada</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/models/review.py" line="-1" />
            <source>Returned</source>
            <translation>Devuelta</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Medical</source>
            <translation>Médico</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Behavioral health</source>
            <translation>Salud conductual</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Court or legal</source>
            <translation>Tribunal o asuntos legales</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Benefits</source>
            <translation>Beneficios</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/record_labels.py" line="-20" />
            <location filename="../../ui/screens/record.py" line="+12" />
            <location filename="../../ui/screens/record_forms.py" line="+404" />
            <source>Housing</source>
            <translation>Vivienda</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/record_forms.py" line="+4" />
            <source>Employment</source>
            <translation>Empleo</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+12" />
            <source>Pharmacy</source>
            <translation>Farmacia</translation>
        </message>
        <message>
            <location line="-11" />
            <source>Grocery</source>
            <translation>Compra de alimentos</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Peer meeting</source>
            <translation>Reunión de pares</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Administrative</source>
            <translation>Administrativo</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Clinic</source>
            <translation>Clínica</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Hospital</source>
            <translation>Hospital</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Courthouse</source>
            <translation>Juzgado</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Social services</source>
            <translation>Servicios sociales</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Residence</source>
            <translation>Residencia</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Store</source>
            <translation>Tienda</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Agency office</source>
            <translation>Oficina de la agencia</translation>
        </message>
        <message>
            <location filename="../../ui/models/notes.py" line="+233" />
            <location filename="../../ui/screens/my_work.py" line="+40" />
            <location line="+39" />
            <location line="+19" />
            <location filename="../../ui/screens/participants.py" line="+99" />
            <location filename="../../ui/screens/record.py" line="-1" />
            <location filename="../../ui/screens/team.py" line="-15" />
            <location line="+4" />
            <location line="+4" />
            <location filename="../../ui/screens/trips.py" line="+116" />
            <source>Date</source>
            <translation>Fecha</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/models/review.py" line="+141" />
            <location filename="../../ui/screens/appointment_form.py" line="+86" />
            <location filename="../../ui/screens/note_form.py" line="+151" />
            <location filename="../../ui/screens/participants.py" line="-29" />
            <location filename="../../ui/screens/sync_details.py" line="+57" />
            <source>Participant</source>
            <translation>Participante</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/participants.py" line="+29" />
            <location filename="../../ui/screens/review_reader.py" line="+153" />
            <source>Template</source>
            <translation>Plantilla</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/participant_form.py" line="-20" />
            <location filename="../../ui/screens/participants.py" line="+0" />
            <location filename="../../ui/screens/record.py" line="-10" />
            <source>State</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location line="+3" />
            <location filename="../../ui/models/review.py" line="+7" />
            <location filename="../../ui/screens/review_reader.py" line="-26" />
            <location line="+12" />
            <location line="+220" />
            <source>(unknown)</source>
            <translation>(desconocido)</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/saving.py" line="+44" />
            <location filename="../../ui/screens/my_work.py" line="-101" />
            <location filename="../../ui/screens/note_form.py" line="-83" />
            <location filename="../../ui/screens/sync_details.py" line="+150" />
            <location line="+26" />
            <location filename="../../ui/screens/team.py" line="-25" />
            <source>Problem</source>
            <translation>Problema</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/refer.py" line="+100" />
            <source>Suggest a correction</source>
            <translation>Sugerir una corrección</translation>
        </message>
        <message>
            <location line="+2" />
            <source>What is wrong or missing in “{name}”? Your suggestion goes to the agency with your next sync; please do not name participants.</source>
            <translation>¿Qué está mal o qué falta en “{name}”? Su sugerencia llega a la agencia con la próxima sincronización; por favor, no nombre a ningún participante.</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Suggested correction</source>
            <translation>Corrección sugerida</translation>
        </message>
        <message>
            <location line="+1" />
            <source>e.g. the phone number changed to 555-0100</source>
            <translation>p. ej., el teléfono cambió a 555-0100</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Suggestion:</source>
            <translation>&amp;Sugerencia:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>S&amp;end suggestion</source>
            <translation>&amp;Enviar sugerencia</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Send suggestion</source>
            <translation>Enviar sugerencia</translation>
        </message>
        <message>
            <location line="+12" />
            <source>write what should change</source>
            <translation>escriba qué debe cambiar</translation>
        </message>
        <message>
            <location line="+34" />
            <source>&amp;Share their information with the service (needs consent)</source>
            <translation>&amp;Compartir su información con el servicio (requiere consentimiento)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>A warm hand-off or a form sent for them needs a current signed consent.</source>
            <translation>Un traspaso acompañado o un formulario enviado por la persona requiere un consentimiento firmado vigente.</translation>
        </message>
        <message>
            <location line="+33" />
            <source>Refer a participant</source>
            <translation>Derivar a un participante</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Refer a participant to “{name}”.</source>
            <translation>Derivar a un participante a “{name}”.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Participant to refer</source>
            <translation>Participante a derivar</translation>
        </message>
        <message>
            <location line="-46" />
            <source>Referral note (optional)</source>
            <translation>Nota de la derivación (opcional)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>optional: what was arranged, what to check next</source>
            <translation>opcional: qué se acordó, qué revisar después</translation>
        </message>
        <message>
            <location line="+47" />
            <source>&amp;Participant:</source>
            <translation>&amp;Participante:</translation>
        </message>
        <message>
            <location line="+3" />
            <location line="+72" />
            <source>&amp;Note (optional):</source>
            <translation>&amp;Nota (opcional):</translation>
        </message>
        <message>
            <location line="-119" />
            <source>&amp;Refer</source>
            <translation>&amp;Derivar</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Make the referral</source>
            <translation>Hacer la derivación</translation>
        </message>
        <message>
            <location line="+64" />
            <source>add the participant on the Participants page first</source>
            <translation>primero agregue al participante en la página Participantes</translation>
        </message>
        <message>
            <location line="+12" />
            <source>choose a participant</source>
            <translation>elija un participante</translation>
        </message>
        <message>
            <location line="+25" />
            <source>Refer to a resource</source>
            <translation>Derivar a un recurso</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Refer {name} to a service in the resource directory.</source>
            <translation>Derivar a {name} a un servicio del directorio de recursos.</translation>
        </message>
        <message>
            <location line="+3" />
            <source>The referral is linked to this note.</source>
            <translation>La derivación queda vinculada a esta nota.</translation>
        </message>
        <message>
            <location filename="../../ui/models/directory.py" line="+149" />
            <source>Search the resource directory</source>
            <translation>Buscar en el directorio de recursos</translation>
        </message>
        <message>
            <location line="+1" />
            <source>e.g. food, rides, housing, counseling</source>
            <translation>p. ej., comida, transporte, vivienda, consejería</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Search:</source>
            <translation>&amp;Buscar:</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/refer.py" line="+8" />
            <source>Services found</source>
            <translation>Servicios encontrados</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Ser&amp;vices:</source>
            <translation>Ser&amp;vicios:</translation>
        </message>
        <message>
            <location line="+47" />
            <source>No services match. Try fewer or shorter words.</source>
            <translation>Ningún servicio coincide. Pruebe con menos palabras o más cortas.</translation>
        </message>
        <message numerus="yes">
            <location line="+2" />
            <location filename="../../ui/screens/directory.py" line="+244" />
            <source>%n service(s) found.</source>
            <translation>
                <numerusform>%n servicio encontrado.</numerusform>
                <numerusform>%n servicios encontrados.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+11" />
            <source>choose a service in the list</source>
            <translation>elija un servicio de la lista</translation>
        </message>
        <message>
            <location filename="../../ui/screens/note_editor.py" line="+46" />
            <source>Sign and lock this note?</source>
            <translation>¿Firmar y bloquear esta nota?</translation>
        </message>
        <message>
            <location line="+2" />
            <source>A signed note can no longer be changed; corrections are added as addenda. Sign and lock this note now?</source>
            <translation>Una nota firmada ya no se puede cambiar; las correcciones se agregan como anexos. ¿Firmar y bloquear esta nota ahora?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/note_form.py" line="+60" />
            <source>Note editor</source>
            <translation>Editor de notas</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Note state</source>
            <translation>Estado de la nota</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Note form</source>
            <translation>Formulario de la nota</translation>
        </message>
        <message>
            <location filename="../../ui/screens/appointment_form.py" line="-24" />
            <source> mi</source>
            <translation> mi</translation>
        </message>
        <message>
            <location line="+20" />
            <source>Change appointment</source>
            <translation>Cambiar la cita</translation>
        </message>
        <message>
            <location line="+0" />
            <source>New appointment</source>
            <translation>Nueva cita</translation>
        </message>
        <message>
            <location line="+15" />
            <location filename="../../ui/screens/groups.py" line="+84" />
            <source> min</source>
            <translation> min</translation>
        </message>
        <message>
            <location line="+3" />
            <source>e.g. Intake with Dr. Ames</source>
            <translation>p. ej., admisión con la Dra. Ames</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Service from the directory</source>
            <translation>Servicio del directorio</translation>
        </message>
        <message>
            <location line="+1" />
            <source>(none: type the place)</source>
            <translation>(ninguno: escriba el lugar)</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Plan a &amp;ride to it</source>
            <translation>Planear el &amp;traslado</translation>
        </message>
        <message>
            <location line="+4" />
            <source>e.g. Home, or the shelter on 3rd St</source>
            <translation>p. ej., su casa, o el albergue de la calle 3</translation>
        </message>
        <message>
            <location line="+3" />
            <source>R&amp;ound trip</source>
            <translation>Ida y &amp;vuelta</translation>
        </message>
        <message>
            <location line="+4" />
            <source>This ride is logged as a trip already</source>
            <translation>Este traslado ya está registrado como viaje</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Pick-up:</source>
            <translation>&amp;Recogida:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Destination:</source>
            <translation>Desti&amp;no:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Estimated miles:</source>
            <translation>Millas &amp;estimadas:</translation>
        </message>
        <message>
            <location line="+4" />
            <location filename="../../ui/screens/note_form.py" line="+16" />
            <location filename="../../ui/screens/trips.py" line="-47" />
            <source>P&amp;articipant:</source>
            <translation>P&amp;articipante:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;When:</source>
            <translation>&amp;Cuándo:</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/groups.py" line="+2" />
            <source>&amp;Length:</source>
            <translation>&amp;Duración:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>W&amp;hat, with whom:</source>
            <translation>&amp;Qué y con quién:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Service:</source>
            <translation>&amp;Servicio:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Pla&amp;ce:</source>
            <translation>&amp;Lugar:</translation>
        </message>
        <message>
            <location line="+76" />
            <source>Ride done: log it as a trip</source>
            <translation>Traslado hecho: registrarlo como viaje</translation>
        </message>
        <message>
            <location line="+16" />
            <source>To {destination}, from {pickup}. The trip log gets this ride: nothing to type again.</source>
            <translation>A {destination}, desde {pickup}. El registro de viajes recibe este traslado: no hay que volver a escribir nada.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>&amp;Miles driven:</source>
            <translation>&amp;Millas recorridas:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Picked up at:</source>
            <translation>Re&amp;cogida a las:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Back at:</source>
            <translation>&amp;Vuelta a las:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>P&amp;urpose:</source>
            <translation>Mo&amp;tivo:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Destination type:</source>
            <translation>Tipo de &amp;destino:</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Enter the miles driven.</source>
            <translation>Escriba las millas recorridas.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/note_form.py" line="+3" />
            <source>Note template</source>
            <translation>Plantilla de la nota</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Template:</source>
            <translation>Pla&amp;ntilla:</translation>
        </message>
        <message>
            <location filename="../../ui/models/review.py" line="-160" />
            <source>Waiting for review</source>
            <translation>Esperando revisión</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Resubmitted, waiting for review</source>
            <translation>Reenviada, esperando revisión</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/review.py" line="-1" />
            <source>Returned to the peer</source>
            <translation>Devuelta al especialista</translation>
        </message>
        <message>
            <location line="+8" />
            <location line="+146" />
            <source>Waiting</source>
            <translation>En espera</translation>
        </message>
        <message>
            <location line="-145" />
            <location filename="../../ui/screens/review.py" line="-1" />
            <source>Resubmitted</source>
            <translation>Reenviada</translation>
        </message>
        <message>
            <location line="+11" />
            <source>it is a recovery escrow, not for review</source>
            <translation>es un depósito de recuperación, no es para revisar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>it is sealed to a review key you were not granted</source>
            <translation>está sellado con una clave de revisión que no se le ha concedido</translation>
        </message>
        <message>
            <location line="+3" />
            <source>it does not open: it was altered, or moved from another record or laptop</source>
            <translation>no se abre: fue alterado o se trasladó desde otro registro u otra computadora</translation>
        </message>
        <message>
            <location line="+2" />
            <source>it opened but its contents cannot be read</source>
            <translation>se abrió, pero su contenido no se puede leer</translation>
        </message>
        <message>
            <location line="+1" />
            <source>it opened but its contents are not usable</source>
            <translation>se abrió, pero su contenido no se puede usar</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Cannot be read: {reason} (device {device}, record {seq})</source>
            <translation>No se puede leer: {reason} (equipo {device}, registro {seq})</translation>
        </message>
        <message>
            <location line="+49" />
            <source>received {when}</source>
            <translation>recibida el {when}</translation>
        </message>
        <message>
            <location line="+9" />
            <source>⚠ CRISIS: {name}</source>
            <translation>⚠ CRISIS: {name}</translation>
        </message>
        <message numerus="yes">
            <location line="+13" />
            <source>%n day(s)</source>
            <translation>
                <numerusform>%n día</numerusform>
                <numerusform>%n días</numerusform>
            </translation>
        </message>
        <message>
            <location line="+43" />
            <location filename="../../ui/screens/review_reader.py" line="-216" />
            <source>Contact</source>
            <translation>Contacto</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/report_tabs.py" line="-28" />
            <location line="+5" />
            <location line="+6" />
            <location line="+17" />
            <location line="+10" />
            <location filename="../../ui/screens/review_reader.py" line="-1" />
            <location filename="../../ui/screens/team.py" line="+4" />
            <source>Peer</source>
            <translation>Especialista</translation>
        </message>
        <message>
            <location line="+2" />
            <location filename="../../ui/screens/note_form.py" line="+3" />
            <location filename="../../ui/screens/review_reader.py" line="+3" />
            <source>Contact type</source>
            <translation>Tipo de contacto</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/review_reader.py" line="+13" />
            <source>Review state</source>
            <translation>Estado de revisión</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Cannot be read</source>
            <translation>No se puede leer</translation>
        </message>
        <message>
            <location filename="../../ui/screens/note_form.py" line="+3" />
            <source>&amp;Contact type:</source>
            <translation>Tipo de &amp;contacto:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Location type</source>
            <translation>Tipo de lugar</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Location:</source>
            <translation>&amp;Lugar:</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Date of contact</source>
            <translation>Fecha del contacto</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Dat&amp;e:</source>
            <translation>F&amp;echa:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Start time</source>
            <translation>Hora de inicio</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Start time:</source>
            <translation>Hora de &amp;inicio:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>End time</source>
            <translation>Hora de fin</translation>
        </message>
        <message>
            <location line="+2" />
            <source>E&amp;nd time:</source>
            <translation>Hora de &amp;fin:</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Billable units</source>
            <translation>Unidades facturables</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Billing:</source>
            <translation>Facturación:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Goals, one per line</source>
            <translation>Metas, una por línea</translation>
        </message>
        <message>
            <location line="+1" />
            <source>One goal per line</source>
            <translation>Una meta por línea</translation>
        </message>
        <message>
            <location line="+4" />
            <source>G&amp;oals:</source>
            <translation>Me&amp;tas:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Coordinated wit&amp;h:</source>
            <translation>C&amp;oordinado con:</translation>
        </message>
        <message>
            <location line="+2" />
            <location filename="../../ui/screens/report_tabs.py" line="-33" />
            <location line="+33" />
            <location filename="../../ui/screens/sync_details.py" line="-178" />
            <source>Note</source>
            <translation>Nota</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Addenda</source>
            <translation>Anexos</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Addenda alread&amp;y added:</source>
            <translation>Anexos &amp;ya agregados:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Addenda already added</source>
            <translation>Anexos ya agregados</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Ne&amp;w addendum:</source>
            <translation>Nuevo ane&amp;xo:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>New addendum text</source>
            <translation>Texto del nuevo anexo</translation>
        </message>
        <message>
            <location line="+8" />
            <source>&amp;Add addendum</source>
            <translation>&amp;Agregar anexo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Add addendum</source>
            <translation>Agregar anexo</translation>
        </message>
        <message>
            <location line="+13" />
            <source>Save status</source>
            <translation>Estado del guardado</translation>
        </message>
        <message>
            <location line="+2" />
            <location filename="../../ui/screens/referrals.py" line="+83" />
            <source>Refer to a reso&amp;urce…</source>
            <translation>Derivar a un rec&amp;urso…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Refer the participant to a resource</source>
            <translation>Derivar al participante a un recurso</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Sign &amp;&amp; loc&amp;k…</source>
            <translation>Firmar y blo&amp;quear…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sign and lock the note</source>
            <translation>Firmar y bloquear la nota</translation>
        </message>
        <message>
            <location line="+127" />
            <source>State: {state}</source>
            <translation>Estado: {state}</translation>
        </message>
        <message>
            <location line="+5" />
            <source>State: {state} on {when}; read-only, corrections go in an addendum.</source>
            <translation>Estado: {state} el {when}; solo lectura, las correcciones van en un anexo.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>State: new draft (not saved yet)</source>
            <translation>Estado: borrador nuevo (todavía sin guardar)</translation>
        </message>
        <message>
            <location line="+79" />
            <source>{when}: {text}</source>
            <translation>{when}: {text}</translation>
        </message>
        <message>
            <location line="+61" />
            <source>Billable: cannot count units. {reason}</source>
            <translation>Facturable: no se pueden contar las unidades. {reason}</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Not billable: {payer} does not pay for this contact type ({minutes} minutes).</source>
            <translation>No facturable: {payer} no paga este tipo de contacto ({minutes} minutos).</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/saving.py" line="+5" />
            <location filename="../../ui/screens/directory.py" line="+15" />
            <location filename="../../ui/screens/note_form.py" line="+54" />
            <location filename="../../ui/screens/reports.py" line="+267" />
            <location line="+181" />
            <location filename="../../ui/screens/review_reader.py" line="+346" />
            <location filename="../../ui/screens/today.py" line="+316" />
            <location filename="../../ui/screens/week.py" line="+210" />
            <location line="+125" />
            <location filename="../../ui/widgets.py" line="+149" />
            <source>Problem: {message}</source>
            <translation>Problema: {message}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/note_editor.py" line="+110" />
            <source>Not saved: {message}</source>
            <translation>No se guardó: {message}</translation>
        </message>
        <message>
            <location line="+27" />
            <source>Not saved: the end time must be after the start time.</source>
            <translation>No se guardó: la hora de fin debe ser después de la hora de inicio.</translation>
        </message>
        <message>
            <location line="+18" />
            <source>Draft saved at {time}</source>
            <translation>Borrador guardado a las {time}</translation>
        </message>
        <message>
            <location line="+26" />
            <location line="+35" />
            <location line="+11" />
            <source>Problem: choose a participant first.</source>
            <translation>Problema: primero elija un participante.</translation>
        </message>
        <message>
            <location line="-37" />
            <source>Problem: write something in the note before signing it.</source>
            <translation>Problema: escriba algo en la nota antes de firmarla.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Signed and locked.</source>
            <translation>Firmada y bloqueada.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Not signed: {message}</source>
            <translation>No se firmó: {message}</translation>
        </message>
        <message>
            <location line="+32" />
            <source>Write something in the note first: the referral is linked to it.</source>
            <translation>Primero escriba algo en la nota: la derivación queda vinculada a ella.</translation>
        </message>
        <message>
            <location line="+11" />
            <location filename="../../ui/screens/referrals.py" line="+147" />
            <source>Referral to {service} recorded.</source>
            <translation>Derivación a {service} registrada.</translation>
        </message>
        <message>
            <location line="+25" />
            <source>Addendum added.</source>
            <translation>Anexo agregado.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/notes.py" line="+3" />
            <location filename="../../ui/screens/review.py" line="-2" />
            <source>All states</source>
            <translation>Todos los estados</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Show notes in state</source>
            <translation>Mostrar las notas en el estado</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Show:</source>
            <translation>&amp;Mostrar:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Search by participant name (Ctrl+F)</source>
            <translation>Buscar por nombre del participante (Ctrl+F)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Search notes by participant name</source>
            <translation>Buscar notas por nombre del participante</translation>
        </message>
        <message>
            <location line="+6" />
            <source>&amp;New note</source>
            <translation>&amp;Nueva nota</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Notes list</source>
            <translation>Lista de notas</translation>
        </message>
        <message>
            <location line="+9" />
            <source>N&amp;otes:</source>
            <translation>N&amp;otas:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Notes list status</source>
            <translation>Estado de la lista de notas</translation>
        </message>
        <message>
            <location line="+42" />
            <source>Loading notes…</source>
            <translation>Cargando las notas…</translation>
        </message>
        <message numerus="yes">
            <location line="+27" />
            <location filename="../../ui/screens/report_tabs.py" line="-78" />
            <location line="+196" />
            <source>%n note(s)</source>
            <translation>
                <numerusform>%n nota</numerusform>
                <numerusform>%n notas</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+2" />
            <location filename="../../ui/screens/participants.py" line="+210" />
            <source>%n damaged note(s) could not be read.</source>
            <translation>
                <numerusform>No se pudo leer %n nota dañada.</numerusform>
                <numerusform>No se pudieron leer %n notas dañadas.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/screens/participant_form.py" line="-34" />
            <source>&amp;Name (required):</source>
            <translation>&amp;Nombre (obligatorio):</translation>
        </message>
        <message>
            <location line="+8" />
            <source>N&amp;o date of birth</source>
            <translation>S&amp;in fecha de nacimiento</translation>
        </message>
        <message>
            <location line="+1" />
            <source>No date of birth</source>
            <translation>Sin fecha de nacimiento</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Date of &amp;birth:</source>
            <translation>F&amp;echa de nacimiento:</translation>
        </message>
        <message>
            <location line="+4" />
            <location line="+3" />
            <location filename="../../ui/screens/record_care_team.py" line="-1" />
            <source>optional</source>
            <translation>opcional</translation>
        </message>
        <message>
            <location line="-2" />
            <location filename="../../ui/screens/record_care_team.py" line="+1" />
            <source>&amp;Phone:</source>
            <translation>&amp;Teléfono:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Medicaid id:</source>
            <translation>Número de &amp;Medicaid:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>optional, for claims (ICD-10-CM, e.g. F33.1)</source>
            <translation>opcional, para las reclamaciones (CIE-10-MC, p. ej. F33.1)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Dia&amp;gnosis code:</source>
            <translation>Código de dia&amp;gnóstico:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>street, optional (claims name it)</source>
            <translation>calle, opcional (las reclamaciones la indican)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>city</source>
            <translation>ciudad</translation>
        </message>
        <message>
            <location line="+1" />
            <source>City</source>
            <translation>Ciudad</translation>
        </message>
        <message>
            <location line="+3" />
            <source>state</source>
            <translation>estado</translation>
        </message>
        <message>
            <location line="+5" />
            <source>ZIP</source>
            <translation>código postal</translation>
        </message>
        <message>
            <location line="+1" />
            <source>ZIP code</source>
            <translation>Código postal</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Home addr&amp;ess:</source>
            <translation>Dir&amp;ección:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>De&amp;tails:</source>
            <translation>&amp;Detalles:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Save</source>
            <translation>&amp;Guardar</translation>
        </message>
        <message>
            <location line="-58" />
            <source>Participant form status</source>
            <translation>Estado del formulario del participante</translation>
        </message>
        <message>
            <location line="+75" />
            <source>Add a participant</source>
            <translation>Agregar un participante</translation>
        </message>
        <message>
            <location line="+8" />
            <location filename="../../ui/screens/participants.py" line="-301" />
            <source>Edit participant</source>
            <translation>Editar participante</translation>
        </message>
        <message>
            <location filename="../../ui/screens/participants.py" line="-19" />
            <source>type part of a name</source>
            <translation>escriba parte de un nombre</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Filter participants</source>
            <translation>Filtrar participantes</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Filter:</source>
            <translation>&amp;Filtrar:</translation>
        </message>
        <message>
            <location line="+9" />
            <source>&amp;Participants:</source>
            <translation>&amp;Participantes:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Participants shown</source>
            <translation>Participantes mostrados</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Add participant</source>
            <translation>&amp;Agregar participante</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Edit</source>
            <translation>&amp;Editar</translation>
        </message>
        <message>
            <location line="+5" />
            <source>&amp;Record and plan…</source>
            <translation>E&amp;xpediente y plan…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Open the recovery plan, enrollment, consents and outcomes</source>
            <translation>Abrir el plan de recuperación, la inscripción, los consentimientos y los resultados</translation>
        </message>
        <message>
            <location line="+8" />
            <source>&amp;Write a note</source>
            <translation>Esc&amp;ribir una nota</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Write a note for this participant</source>
            <translation>Escribir una nota para este participante</translation>
        </message>
        <message>
            <location line="+3" />
            <source>New appoin&amp;tment…</source>
            <translation>Nueva ci&amp;ta…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Schedule an appointment for this participant</source>
            <translation>Programar una cita para este participante</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Groups…</source>
            <translation>&amp;Grupos…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Groups and group sessions</source>
            <translation>Grupos y sesiones de grupo</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Outcome check-ins due</source>
            <translation>Evaluaciones de resultados pendientes</translation>
        </message>
        <message>
            <location line="+38" />
            <source>Name:</source>
            <translation>Nombre:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Date of birth:</source>
            <translation>Fecha de nacimiento:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Phone:</source>
            <translation>Teléfono:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Medicaid id:</source>
            <translation>Número de Medicaid:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Diagnosis code:</source>
            <translation>Código de diagnóstico:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Home address:</source>
            <translation>Dirección:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Details:</source>
            <translation>Detalles:</translation>
        </message>
        <message>
            <location line="+14" />
            <source>Choose a participant in the list, or add one.</source>
            <translation>Elija un participante de la lista o agregue uno.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Notes history</source>
            <translation>Historial de notas</translation>
        </message>
        <message>
            <location line="+5" />
            <source>N&amp;otes history:</source>
            <translation>Historial de n&amp;otas:</translation>
        </message>
        <message numerus="yes">
            <location line="+52" />
            <source>%n outcome check-in(s) due:</source>
            <translation>
                <numerusform>%n evaluación de resultados pendiente:</numerusform>
                <numerusform>%n evaluaciones de resultados pendientes:</numerusform>
            </translation>
        </message>
        <message>
            <location line="+53" />
            <source>{shown} of {total} shown</source>
            <translation>Se muestran {shown} de {total}</translation>
        </message>
        <message>
            <location line="+60" />
            <source>not recorded</source>
            <translation>no registrado</translation>
        </message>
        <message>
            <location line="+35" />
            <source>No notes yet.</source>
            <translation>Todavía no hay notas.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>1 note</source>
            <translation>1 nota</translation>
        </message>
        <message>
            <location line="+0" />
            <source>{n} notes</source>
            <translation>{n} notas</translation>
        </message>
        <message>
            <location line="+30" />
            <source>enter a name</source>
            <translation>escriba un nombre</translation>
        </message>
        <message>
            <location line="+33" />
            <location filename="../../ui/screens/trips.py" line="+138" />
            <source>Saving…</source>
            <translation>Guardando…</translation>
        </message>
        <message>
            <location line="+18" />
            <source>Not saved; please check the form.</source>
            <translation>No se guardó; revise el formulario.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync_details.py" line="+1" />
            <source>Addendum</source>
            <translation>Anexo</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Trip</source>
            <translation>Viaje</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Recovery key copy</source>
            <translation>Copia de la clave de recuperación</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Referral</source>
            <translation>Derivación</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Directory correction</source>
            <translation>Corrección del directorio</translation>
        </message>
        <message>
            <location line="+19" />
            <source>Finished</source>
            <translation>Terminada</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Failed</source>
            <translation>Falló</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Stopped</source>
            <translation>Detenida</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Access withdrawn</source>
            <translation>Acceso retirado</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Running</source>
            <translation>En curso</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync.py" line="+100" />
            <location filename="../../ui/screens/sync_details.py" line="+68" />
            <source>Sync with your agency</source>
            <translation>Sincronización con su agencia</translation>
        </message>
        <message>
            <location filename="../../ui/link_roles.py" line="+235" />
            <location filename="../../ui/screens/sync_details.py" line="-12" />
            <source>Reading the sync status…</source>
            <translation>Leyendo el estado de la sincronización…</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync_details.py" line="+1" />
            <source>Connect this laptop to your agency</source>
            <translation>Conecte esta computadora a su agencia</translation>
        </message>
        <message>
            <location line="+2" />
            <source>To send your signed notes, trips and changes to your agency, this laptop is connected to it once. IT gives you a provisioning file and a one-time enrollment code. Nothing is sent before that.</source>
            <translation>Para enviar sus notas firmadas, viajes y cambios a su agencia, esta computadora se conecta a ella una sola vez. El equipo de informática le da un archivo de configuración y un código de inscripción de un solo uso. No se envía nada antes de eso.</translation>
        </message>
        <message>
            <location line="+309" />
            <source>Connect as a supervisor</source>
            <translation>Conectarse como supervisor</translation>
        </message>
        <message>
            <location line="+2" />
            <source>To review your team's notes, this profile is connected to your agency once. IT gives you a provisioning file and a one-time supervisor invite code. Notes are decrypted only on this computer, with keys that open only with your passphrase.</source>
            <translation>Para revisar las notas de su equipo, este perfil se conecta una vez con su agencia. El personal de TI le da un archivo de configuración y un código de invitación de supervisor de un solo uso. Las notas se descifran solo en esta computadora, con claves que solo se abren con su frase de contraseña.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/enroll_form.py" line="+90" />
            <source>Provisioning file</source>
            <translation>Archivo de configuración</translation>
        </message>
        <message>
            <location line="+1" />
            <source>The provisioning file from IT</source>
            <translation>El archivo de configuración de informática</translation>
        </message>
        <message>
            <location line="+1" />
            <source>C&amp;hoose…</source>
            <translation>E&amp;legir…</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+43" />
            <source>Choose the provisioning file</source>
            <translation>Elegir el archivo de configuración</translation>
        </message>
        <message>
            <location line="-40" />
            <source>&amp;Provisioning file:</source>
            <translation>&amp;Archivo de configuración:</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync_details.py" line="+5" />
            <source>Supervisor invite code</source>
            <translation>Código de invitación de supervisor</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Supervisor &amp;invite code:</source>
            <translation>Código de &amp;invitación de supervisor:</translation>
        </message>
        <message>
            <location filename="../../ui/screens/enroll_form.py" line="+11" />
            <source>Your name as decisions are signed</source>
            <translation>Su nombre tal como se firman las decisiones</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Your &amp;name (signs your decisions):</source>
            <translation>Su &amp;nombre (firma sus decisiones):</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync_details.py" line="+1" />
            <source>Connect to the agency as a supervisor</source>
            <translation>Conectar con la agencia como supervisor</translation>
        </message>
        <message>
            <location filename="../../ui/screens/enroll_form.py" line="+28" />
            <source>Provisioning files (*.toml);;All files (*)</source>
            <translation>Archivos de aprovisionamiento (*.toml);;Todos los archivos (*)</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync_details.py" line="+1" />
            <source>Connected: you can now pull your team's notes.</source>
            <translation>Conectado: ya puede traer las notas de su equipo.</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Pull notes for review</source>
            <translation>Traer notas para revisar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Notes for review</source>
            <translation>Notas para revisar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Agency and team</source>
            <translation>Agencia y equipo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Pull now</source>
            <translation>&amp;Traer ahora</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Pull new notes and review events now</source>
            <translation>Traer ahora las notas nuevas y los eventos de revisión</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Fetch the team's new notes, addenda, trips and decisions</source>
            <translation>Traer las notas, anexos, viajes y decisiones nuevos del equipo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Cancel pull</source>
            <translation>&amp;Cancelar la descarga</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Cancel the pull</source>
            <translation>Cancelar la descarga</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Pull progress</source>
            <translation>Progreso de la descarga</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Pull progress details</source>
            <translation>Detalles del progreso de la descarga</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Result of the last pull</source>
            <translation>Resultado de la última descarga</translation>
        </message>
        <message>
            <location line="+17" />
            <source>Last complete pull</source>
            <translation>Última descarga completa</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Last problem</source>
            <translation>Último problema</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Notes waiting for a decision</source>
            <translation>Notas que esperan una decisión</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Last complete pull:</source>
            <translation>Última descarga completa:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Last problem:</source>
            <translation>Último problema:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Waiting for a decision:</source>
            <translation>Esperando una decisión:</translation>
        </message>
        <message>
            <location line="+26" />
            <source>Notes for review from {agency}</source>
            <translation>Notas para revisar de {agency}</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Team: {team} · peers' laptops: {peers} · you sign as {name}</source>
            <translation>Equipo: {team} · computadoras de los especialistas: {peers} · usted firma como {name}</translation>
        </message>
        <message>
            <location line="+1" />
            <source>(none)</source>
            <translation>(ninguno)</translation>
        </message>
        <message>
            <location line="-7" />
            <source>None</source>
            <translation>Ninguno</translation>
        </message>
        <message>
            <location line="-41" />
            <source>Pull did not finish: {reason}</source>
            <translation>La descarga no terminó: {reason}</translation>
        </message>
        <message>
            <location line="-1" />
            <source>A pull is already running.</source>
            <translation>Ya hay una descarga en curso.</translation>
        </message>
        <message>
            <location line="-327" />
            <source>Enrollment code</source>
            <translation>Código de inscripción</translation>
        </message>
        <message>
            <location filename="../../ui/screens/enroll_form.py" line="-39" />
            <source>For example 7K3M-Q9XD-2B</source>
            <translation>Por ejemplo 7K3M-Q9XD-2B</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync_details.py" line="+1" />
            <source>Enrollment &amp;code:</source>
            <translation>&amp;Código de inscripción:</translation>
        </message>
        <message>
            <location filename="../../ui/screens/enroll_form.py" line="+17" />
            <source>Connection status</source>
            <translation>Estado de la conexión</translation>
        </message>
        <message>
            <location line="+3" />
            <source>C&amp;onnect to the agency</source>
            <translation>C&amp;onectar con la agencia</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync_details.py" line="+1" />
            <source>Connect to the agency</source>
            <translation>Conectar con la agencia</translation>
        </message>
        <message>
            <location filename="../../ui/screens/enroll_form.py" line="+29" />
            <location filename="../../ui/screens/sync_details.py" line="+327" />
            <source>Connecting to the agency…</source>
            <translation>Conectando con la agencia…</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync_details.py" line="-326" />
            <source>This laptop is now connected to the agency.</source>
            <translation>Esta computadora ya está conectada con la agencia.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/enroll_form.py" line="+27" />
            <source>Not connected yet: please see the problem above.</source>
            <translation>Todavía no está conectada: vea el problema indicado arriba.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Not connected: {message}</source>
            <translation>No está conectada: {message}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync_details.py" line="+1" />
            <source>Sync panel</source>
            <translation>Panel de sincronización</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Agency</source>
            <translation>Agencia</translation>
        </message>
        <message>
            <location line="+26" />
            <source>Connection</source>
            <translation>Conexión</translation>
        </message>
        <message>
            <location line="-25" />
            <source>&amp;Sync now</source>
            <translation>&amp;Sincronizar ahora</translation>
        </message>
        <message>
            <location line="-92" />
            <source>Care-team entry</source>
            <translation>Persona del equipo de atención</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Recovery plan</source>
            <translation>Plan de recuperación</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Enrollment</source>
            <translation>Inscripción</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Resubmitted note</source>
            <translation>Nota reenviada</translation>
        </message>
        <message>
            <location line="+3" />
            <source>CEU entry</source>
            <translation>Registro de CEU</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Shared wellbeing check-in</source>
            <translation>Registro de bienestar compartido</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Appointment</source>
            <translation>Cita</translation>
        </message>
        <message>
            <location line="+23" />
            <source>The agency does not know the key this record was sealed with.</source>
            <translation>La agencia no conoce la clave con la que se selló este registro.</translation>
        </message>
        <message>
            <location line="+1" />
            <source>The key this record was sealed with has expired at the agency.</source>
            <translation>La clave con la que se selló este registro venció en la agencia.</translation>
        </message>
        <message>
            <location line="+1" />
            <source>The agency does not accept this kind of record.</source>
            <translation>La agencia no acepta este tipo de registro.</translation>
        </message>
        <message>
            <location line="+1" />
            <source>The record is too large to send to the agency.</source>
            <translation>El registro es demasiado grande para enviarlo a la agencia.</translation>
        </message>
        <message>
            <location line="+1" />
            <source>The same record was sent twice in one batch.</source>
            <translation>Se envió el mismo registro dos veces en un mismo lote.</translation>
        </message>
        <message>
            <location line="+1" />
            <source>The agency could not read this record.</source>
            <translation>La agencia no pudo leer este registro.</translation>
        </message>
        <message>
            <location line="+1" />
            <source>This version of PeerDesk cannot send this kind of record yet.</source>
            <translation>Esta versión de PeerDesk todavía no puede enviar este tipo de registro.</translation>
        </message>
        <message>
            <location line="+1" />
            <source>This record cannot be read on this laptop, so it cannot be sent.</source>
            <translation>Este registro no se puede leer en esta computadora, así que no se puede enviar.</translation>
        </message>
        <message>
            <location line="+51" />
            <source>Sync now</source>
            <translation>Sincronizar ahora</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Send what waits and fetch your supervisor's feedback</source>
            <translation>Enviar lo pendiente y recibir los comentarios de su supervisor</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Cancel sync</source>
            <translation>&amp;Cancelar la sincronización</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Cancel the sync</source>
            <translation>Cancelar la sincronización</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sync progress</source>
            <translation>Avance de la sincronización</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sync progress details</source>
            <translation>Detalles del avance de la sincronización</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Result of the last sync</source>
            <translation>Resultado de la última sincronización</translation>
        </message>
        <message>
            <location line="+21" />
            <source>Last successful sync</source>
            <translation>Última sincronización completa</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Last attempt</source>
            <translation>Último intento</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Waiting to be sent</source>
            <translation>Pendiente de envío</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Last successful sync:</source>
            <translation>Última sincronización completa:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Last attempt:</source>
            <translation>Último intento:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Waiting:</source>
            <translation>Pendiente:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Sync automatically on &amp;metered connections</source>
            <translation>Sincronizar automáticamente con conexiones &amp;medidas</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sync automatically on metered connections</source>
            <translation>Sincronizar automáticamente con conexiones medidas</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Mobile data can cost money; without this, sync on such a connection only when asked</source>
            <translation>Los datos móviles pueden costar dinero; sin esta opción, con esa conexión solo se sincroniza cuando usted lo pide</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Your agency has set this; it cannot be changed here</source>
            <translation>Lo ha fijado su agencia; no se puede cambiar aquí</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Held back by the agency</source>
            <translation>Retenidos por la agencia</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Held back records</source>
            <translation>Registros retenidos</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Record</source>
            <translation>Registro</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Queued</source>
            <translation>En cola desde</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Records held back</source>
            <translation>Registros retenidos</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Send &amp;again</source>
            <translation>&amp;Enviar de nuevo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Send the selected records again</source>
            <translation>Enviar de nuevo los registros elegidos</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Send a&amp;ll again</source>
            <translation>Enviar &amp;todos de nuevo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Send all held back records again</source>
            <translation>Enviar de nuevo todos los registros retenidos</translation>
        </message>
        <message>
            <location line="+6" />
            <location line="+13" />
            <source>Sync history</source>
            <translation>Historial de sincronización</translation>
        </message>
        <message>
            <location line="-9" />
            <source>Started</source>
            <translation>Inicio</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Result</source>
            <translation>Resultado</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sent</source>
            <translation>Enviados</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Accepted</source>
            <translation>Aceptados</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Refused</source>
            <translation>Rechazados</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review.py" line="-1" />
            <source>Waiting for a decision</source>
            <translation>Esperando una decisión</translation>
        </message>
        <message>
            <location line="+2" />
            <location filename="../../ui/screens/sync_details.py" line="+1" />
            <source>Received</source>
            <translation>Recibidos</translation>
        </message>
        <message>
            <location line="+39" />
            <source>Show notes of peer</source>
            <translation>Mostrar notas del especialista</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+155" />
            <source>All peers</source>
            <translation>Todos los especialistas</translation>
        </message>
        <message>
            <location line="-154" />
            <source>&amp;Peer:</source>
            <translation>&amp;Especialista:</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Show notes in review state</source>
            <translation>Mostrar notas en el estado de revisión</translation>
        </message>
        <message>
            <location line="+3" />
            <location filename="../../ui/screens/work_forms.py" line="+136" />
            <source>&amp;State:</source>
            <translation>Es&amp;tado:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Contacts &amp;between</source>
            <translation>Contactos &amp;entre</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Only contacts between two dates</source>
            <translation>Solo contactos entre dos fechas</translation>
        </message>
        <message>
            <location line="+3" />
            <source>First contact date</source>
            <translation>Primera fecha de contacto</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Last contact date</source>
            <translation>Última fecha de contacto</translation>
        </message>
        <message>
            <location line="+1" />
            <source>and</source>
            <translation>y</translation>
        </message>
        <message>
            <location line="+22" />
            <source>Review queue summary</source>
            <translation>Resumen de la cola de revisión</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Review queue, oldest contact first</source>
            <translation>Cola de revisión, el contacto más antiguo primero</translation>
        </message>
        <message numerus="yes">
            <location line="+86" />
            <source>%n participant(s) in crisis on your team: their notes are listed first.</source>
            <translation>
                <numerusform>%n participante de su equipo está en crisis: sus notas aparecen primero.</numerusform>
                <numerusform>%n participantes de su equipo están en crisis: sus notas aparecen primero.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+24" />
            <source>{peer} (laptop withdrawn)</source>
            <translation>{peer} (computadora retirada)</translation>
        </message>
        <message>
            <location line="+54" />
            <source>Reading the review queue…</source>
            <translation>Leyendo la cola de revisión…</translation>
        </message>
        <message>
            <location line="+3" />
            <source>No notes match these filters.</source>
            <translation>Ninguna nota coincide con estos filtros.</translation>
        </message>
        <message numerus="yes">
            <location line="+3" />
            <source>%n note(s) found, oldest contact first; {shown} shown.</source>
            <translation>
                <numerusform>%n nota coincide, el contacto más antiguo primero; {shown} mostradas.</numerusform>
                <numerusform>%n notas coinciden, el contacto más antiguo primero; {shown} mostradas.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+4" />
            <source>%n record(s) cannot be read; each is listed as such.</source>
            <translation>
                <numerusform>%n registro no se puede leer y aparece como tal.</numerusform>
                <numerusform>%n registros no se pueden leer y aparecen como tales.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync_details.py" line="+1" />
            <source>Data sent / received</source>
            <translation>Datos enviados / recibidos</translation>
        </message>
        <message>
            <location line="+45" />
            <source>Sync with {agency}</source>
            <translation>Sincronización con {agency}</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Agency: {name}
Address: {url}</source>
            <translation>Agencia: {name}
Dirección: {url}</translation>
        </message>
        <message>
            <location line="-24" />
            <location line="+3" />
            <location line="+256" />
            <source>Never</source>
            <translation>Nunca</translation>
        </message>
        <message>
            <location line="-254" />
            <source>{when}: did not finish. {reason}</source>
            <translation>{when}: no terminó. {reason}</translation>
        </message>
        <message>
            <location line="+5" />
            <source>{when}: finished</source>
            <translation>{when}: terminó</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Changes waiting to be sent: {count}</source>
            <translation>Cambios pendientes de envío: {count}</translation>
        </message>
        <message>
            <location line="+2" />
            <source>(about {size})</source>
            <translation>(unos {size})</translation>
        </message>
        <message>
            <location line="+16" />
            <source>{connection} (metered connection)</source>
            <translation>{connection} (conexión medida)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Connection: {state}</source>
            <translation>Conexión: {state}</translation>
        </message>
        <message>
            <location line="+18" />
            <source>{reason} (code {code})</source>
            <translation>{reason} (código {code})</translation>
        </message>
        <message>
            <location line="+8" />
            <source>The agency did not accept these records. Nothing else waits for them. Send them again once the problem is fixed, or ask your supervisor.</source>
            <translation>La agencia no aceptó estos registros. Nada más espera por ellos. Envíelos de nuevo cuando el problema esté resuelto, o consulte a su supervisor.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Nothing is held back.</source>
            <translation>No hay nada retenido.</translation>
        </message>
        <message>
            <location line="+38" />
            <source>Starting the sync…</source>
            <translation>Iniciando la sincronización…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Batch {batch}: {done} of {total} records answered, {size} sent</source>
            <translation>Lote {batch}: {done} de {total} registros respondidos, {size} enviados</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Downloading the resource directory: {size} of {total} (part {done} of {parts}); it resumes where it stopped if the connection drops.</source>
            <translation>Descargando el directorio de recursos: {size} de {total} (parte {done} de {parts}); si se corta la conexión, sigue donde se quedó.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Resource directory downloaded; updating it…</source>
            <translation>Directorio de recursos descargado; actualizándolo…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>The connection failed ({cause}); trying again.</source>
            <translation>La conexión falló ({cause}); se intenta de nuevo.</translation>
        </message>
        <message>
            <location line="-213" />
            <source>Sync did not finish: {reason}</source>
            <translation>La sincronización no terminó: {reason}</translation>
        </message>
        <message>
            <location line="+222" />
            <source>Sync finished: {acked} accepted, {feedback} feedback received.</source>
            <translation>Sincronización terminada: {acked} aceptados, {feedback} comentarios recibidos.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Records held back: {count} (see below).</source>
            <translation>Registros retenidos: {count} (vea abajo).</translation>
        </message>
        <message>
            <location line="-227" />
            <source>A sync is already running.</source>
            <translation>Ya hay una sincronización en curso.</translation>
        </message>
        <message>
            <location line="+254" />
            <source>Choose the records to send again first.</source>
            <translation>Primero elija los registros que quiere enviar de nuevo.</translation>
        </message>
        <message>
            <location line="+20" />
            <source>Records to send again with the next sync: {count}</source>
            <translation>Registros que se enviarán de nuevo en la próxima sincronización: {count}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/report_tabs.py" line="-224" />
            <source>Not signed</source>
            <translation>Sin firmar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Not approved yet</source>
            <translation>Todavía sin aprobar</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Overlaps another contact</source>
            <translation>Se superpone con otro contacto</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Too short for one unit</source>
            <translation>Demasiado corto para una unidad</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Start or end time not usable</source>
            <translation>Hora de inicio o fin no utilizable</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Unknown contact type</source>
            <translation>Tipo de contacto desconocido</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Signature</source>
            <translation>Firma</translation>
        </message>
        <message>
            <location filename="../../ui/roles.py" line="+56" />
            <location filename="../../ui/screens/report_tabs.py" line="+0" />
            <location filename="../../ui/screens/review.py" line="-229" />
            <source>Review</source>
            <translation>Revisión</translation>
        </message>
        <message>
            <location line="+3" />
            <location filename="../../ui/screens/report_tabs.py" line="+53" />
            <location filename="../../ui/screens/reports.py" line="-315" />
            <source>Reports</source>
            <translation>Informes</translation>
        </message>
        <message>
            <location filename="../../ui/screens/reports.py" line="+7" />
            <source>Report month</source>
            <translation>Mes del informe</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Month:</source>
            <translation>&amp;Mes:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Payer profile</source>
            <translation>Perfil del pagador</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Pa&amp;yer profile:</source>
            <translation>Perfil del &amp;pagador:</translation>
        </message>
        <message>
            <location line="+2" />
            <location filename="../../ui/screens/today.py" line="-379" />
            <source>&amp;Refresh</source>
            <translation>&amp;Actualizar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Make the reports again</source>
            <translation>Hacer los informes otra vez</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Make the reports again (F5)</source>
            <translation>Hacer los informes otra vez (F5)</translation>
        </message>
        <message>
            <location line="+11" />
            <source>Reports status</source>
            <translation>Estado de los informes</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Reports problem</source>
            <translation>Problema de los informes</translation>
        </message>
        <message>
            <location filename="../../ui/screens/report_tabs.py" line="-62" />
            <source>Over the day's limit (fewer units billed)</source>
            <translation>Por encima del límite del día (se facturan menos unidades)</translation>
        </message>
        <message>
            <location line="+20" />
            <source>{code} under “{payer}”: {units} in total, {approved}, from {notes}; {flagged}.</source>
            <translation>{code} según «{payer}»: {units} en total, {approved}, de {notes}; {flagged}.</translation>
        </message>
        <message numerus="yes">
            <location line="+5" />
            <source>%n of them approved</source>
            <translation>
                <numerusform>%n de ellas aprobada</numerusform>
                <numerusform>%n de ellas aprobadas</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+2" />
            <source>%n note(s) flagged</source>
            <translation>
                <numerusform>%n nota señalada</numerusform>
                <numerusform>%n notas señaladas</numerusform>
            </translation>
        </message>
        <message>
            <location line="+37" />
            <source>Billable units summary</source>
            <translation>Resumen de unidades facturables</translation>
        </message>
        <message>
            <location line="+2" />
            <location line="+11" />
            <source>Units</source>
            <translation>Unidades</translation>
        </message>
        <message>
            <location line="-11" />
            <location line="+11" />
            <source>Approved units</source>
            <translation>Unidades aprobadas</translation>
        </message>
        <message>
            <location line="-11" />
            <location line="+6" />
            <source>Flagged notes</source>
            <translation>Notas señaladas</translation>
        </message>
        <message>
            <location line="-5" />
            <source>Billable units per peer</source>
            <translation>Unidades facturables por especialista</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Units per peer</source>
            <translation>Unidades por especialista</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Date of service</source>
            <translation>Fecha del servicio</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Why it is flagged</source>
            <translation>Por qué está señalada</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Flagged notes:</source>
            <translation>Notas &amp;señaladas:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Code and modifiers</source>
            <translation>Código y modificadores</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Units per peer by code and modifier</source>
            <translation>Unidades por par según código y modificador</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Units by code and mo&amp;difier:</source>
            <translation>Unidades por código y mo&amp;dificador:</translation>
        </message>
        <message>
            <location line="+9" />
            <source>&amp;Billable units</source>
            <translation>Unidades &amp;facturables</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Mileage summary</source>
            <translation>Resumen de millaje</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Amount</source>
            <translation>Importe</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Mileage per peer</source>
            <translation>Millaje por especialista</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Miles per peer</source>
            <translation>Millas por especialista</translation>
        </message>
        <message>
            <location line="+3" />
            <source>M&amp;ileage</source>
            <translation>M&amp;illaje</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Overdue notes summary</source>
            <translation>Resumen de notas atrasadas</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Contact date</source>
            <translation>Fecha del contacto</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Overdue for</source>
            <translation>Atrasada en</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Days overdue</source>
            <translation>Días de atraso</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Notes overdue for signature or review</source>
            <translation>Notas atrasadas en firma o revisión</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Overdue notes per peer</source>
            <translation>Notas atrasadas por especialista</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Overdue notes</source>
            <translation>Notas &amp;atrasadas</translation>
        </message>
        <message numerus="yes">
            <location line="+84" />
            <source>{miles} miles in %n trip(s), {amount} at {rate} per mile.</source>
            <translation>
                <numerusform>{miles} millas en %n viaje, {amount} a {rate} por milla.</numerusform>
                <numerusform>{miles} millas en %n viajes, {amount} a {rate} por milla.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/screens/reports.py" line="-74" />
            <source>Written to {csv} and {x12}: {lines}, {units}.</source>
            <translation>Escrito en {csv} y {x12}: {lines}, {units}.</translation>
        </message>
        <message numerus="yes">
            <location line="+3" />
            <source>%n claim line(s)</source>
            <translation>
                <numerusform>%n línea de reclamación</numerusform>
                <numerusform>%n líneas de reclamación</numerusform>
            </translation>
        </message>
        <message>
            <location line="+76" />
            <source>&amp;Program</source>
            <translation>&amp;Programa</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Export &amp;CSV…</source>
            <translation>Exportar &amp;CSV…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Export the shown report as CSV</source>
            <translation>Exportar el informe mostrado como CSV</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Write the report of this tab to a CSV file (Ctrl+E)</source>
            <translation>Escribir el informe de esta pestaña en un archivo CSV (Ctrl+E)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Export &amp;PDF…</source>
            <translation>Exportar &amp;PDF…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Export the shown report as PDF</source>
            <translation>Exportar el informe mostrado como PDF</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Write the report of this tab to a PDF file (Ctrl+P)</source>
            <translation>Escribir el informe de esta pestaña en un archivo PDF (Ctrl+P)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>C&amp;laims…</source>
            <translation>Rec&amp;lamaciones…</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Write the month's claim lines and 837P file for a clearinghouse</source>
            <translation>Escribir las líneas de reclamación del mes y el archivo 837P para una cámara de compensación</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Write the month's claim lines (CSV) and ASC X12 837P file (Ctrl+Shift+E)</source>
            <translation>Escribir las líneas de reclamación del mes (CSV) y el archivo ASC X12 837P (Ctrl+Shift+E)</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Export result</source>
            <translation>Resultado de la exportación</translation>
        </message>
        <message>
            <location line="+57" />
            <source>Making the reports for {month}…</source>
            <translation>Haciendo los informes de {month}…</translation>
        </message>
        <message>
            <location line="+11" />
            <source>The reports could not be made.</source>
            <translation>No se pudieron hacer los informes.</translation>
        </message>
        <message>
            <location line="+11" />
            <source>Reports for {month}, made {when} from the notes and trips on this computer.</source>
            <translation>Informes de {month}, hechos el {when} con las notas y viajes de esta computadora.</translation>
        </message>
        <message numerus="yes">
            <location line="+149" />
            <source>%n service(s) held back (something a claim needs is missing or wrong, a contact overlaps another, or the day is not fully approved); the CLI lists them.</source>
            <translation>
                <numerusform>%n servicio retenido (falta o es incorrecto algo que la reclamación necesita, un contacto se superpone con otro o el día no está aprobado del todo); la CLI lo detalla.</numerusform>
                <numerusform>%n servicios retenidos (falta o es incorrecto algo que la reclamación necesita, un contacto se superpone con otro o el día no está aprobado del todo); la CLI los detalla.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/screens/report_tabs.py" line="-170" />
            <location line="+149" />
            <location filename="../../ui/screens/reports.py" line="-325" />
            <source>%n unit(s)</source>
            <translation>
                <numerusform>%n unidad</numerusform>
                <numerusform>%n unidades</numerusform>
            </translation>
        </message>
        <message>
            <location line="-155" />
            <source>No notes with a contact in this month.</source>
            <translation>No hay notas con un contacto en este mes.</translation>
        </message>
        <message>
            <location line="+167" />
            <source>{miles} mi · {amount}</source>
            <translation>{miles} mi · {amount}</translation>
        </message>
        <message>
            <location line="+18" />
            <source>No trips in this month.</source>
            <translation>No hay viajes en este mes.</translation>
        </message>
        <message numerus="yes">
            <location line="+3" />
            <source>%n trip(s) not counted: the miles or odometer readings are not usable.</source>
            <translation>
                <numerusform>%n viaje no contado: las millas o las lecturas del odómetro no son utilizables.</numerusform>
                <numerusform>%n viajes no contados: las millas o las lecturas del odómetro no son utilizables.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+22" />
            <source>{total} overdue: {signature} for signature, {review} for review (today).</source>
            <translation>{total} atrasadas: {signature} en firma, {review} en revisión (hoy).</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Nothing is overdue today.</source>
            <translation>Hoy no hay nada atrasado.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/reports.py" line="+201" />
            <source>Billable units, {month}</source>
            <translation>Unidades facturables, {month}</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Mileage, {month}</source>
            <translation>Millaje, {month}</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Overdue notes, {date}</source>
            <translation>Notas atrasadas, {date}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/directory_export.py" line="+24" />
            <source>Choose an empty folder for the HSDS CSV files</source>
            <translation>Elija una carpeta vacía para los archivos CSV de HSDS</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Export the directory</source>
            <translation>Exportar el directorio</translation>
        </message>
        <message>
            <location line="+0" />
            <source>JSON files (*.json)</source>
            <translation>Archivos JSON (*.json)</translation>
        </message>
        <message>
            <location line="+25" />
            <source>E&amp;xport…</source>
            <translation>E&amp;xportar…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Export the directory as Open Referral HSDS 3</source>
            <translation>Exportar el directorio como Open Referral HSDS 3</translation>
        </message>
        <message>
            <location line="+2" />
            <source>As an HSDS &amp;JSON file…</source>
            <translation>Como archivo &amp;JSON de HSDS…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>As HSDS &amp;CSV files in a folder…</source>
            <translation>Como archivos &amp;CSV de HSDS en una carpeta…</translation>
        </message>
        <message>
            <location line="+9" />
            <location filename="../../ui/screens/reports.py" line="+32" />
            <location line="+8" />
            <location line="+36" />
            <source>Export cancelled: nothing was written.</source>
            <translation>Exportación cancelada: no se escribió nada.</translation>
        </message>
        <message>
            <location line="+3" />
            <location filename="../../ui/screens/reports.py" line="-33" />
            <location line="+44" />
            <source>Writing {path}…</source>
            <translation>Escribiendo {path}…</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Exported {count} services as HSDS 3 to {path}.</source>
            <translation>Se exportaron {count} servicios como HSDS 3 a {path}.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Not exported: {message}</source>
            <translation>No se exportó: {message}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/reports.py" line="-41" />
            <source>Made {when} by {profile} with PeerDesk.</source>
            <translation>Hecho el {when} por {profile} con PeerDesk.</translation>
        </message>
        <message>
            <location line="+21" />
            <source>Claims, {month}</source>
            <translation>Reclamaciones, {month}</translation>
        </message>
        <message>
            <location line="+14" />
            <source>Export cancelled: {name} is already there and was kept.</source>
            <translation>Exportación cancelada: {name} ya existe y se conservó.</translation>
        </message>
        <message>
            <location line="+23" />
            <source>Replace the claim file?</source>
            <translation>¿Reemplazar el archivo de reclamaciones?</translation>
        </message>
        <message>
            <location line="+1" />
            <source>{name} is already there. Replace it with this month's 837P file?</source>
            <translation>{name} ya existe. ¿Reemplazarlo con el archivo 837P de este mes?</translation>
        </message>
        <message numerus="yes">
            <location line="+25" />
            <source>Written to {path}: %n row(s). The export is recorded in the activity log.</source>
            <translation>
                <numerusform>Escrito en {path}: %n fila. La exportación queda registrada en el registro de actividad.</numerusform>
                <numerusform>Escrito en {path}: %n filas. La exportación queda registrada en el registro de actividad.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/screens/today.py" line="+1" />
            <source>Refresh today</source>
            <translation>Actualizar el día de hoy</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Read the day again (F5)</source>
            <translation>Volver a leer el día (F5)</translation>
        </message>
        <message>
            <location line="+25" />
            <source>Drafts to finish</source>
            <translation>Borradores por terminar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Notes signed today</source>
            <translation>Notas firmadas hoy</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Trips today</source>
            <translation>Viajes de hoy</translation>
        </message>
        <message>
            <location line="+12" />
            <source>My work reminders</source>
            <translation>Recordatorios de mi trabajo</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Open draft</source>
            <translation>Abrir borrad&amp;or</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Select a draft and press Enter (or Open draft) to go on writing it.</source>
            <translation>Elija un borrador y pulse Intro (o «Abrir borrador») para seguir escribiéndolo.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>&amp;Drafts to finish:</source>
            <translation>&amp;Borradores por terminar:</translation>
        </message>
        <message>
            <location line="+7" />
            <source>&amp;Signed today:</source>
            <translation>&amp;Firmadas hoy:</translation>
        </message>
        <message>
            <location line="+6" />
            <source>&amp;Trips today:</source>
            <translation>&amp;Viajes de hoy:</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Waiting to sync</source>
            <translation>Por sincronizar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/my_work.py" line="-3" />
            <source>My work at a glance</source>
            <translation>Mi trabajo de un vistazo</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/team.py" line="-9" />
            <source>Re&amp;quirements…</source>
            <translation>Re&amp;quisitos…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Change the requirements</source>
            <translation>Cambiar los requisitos</translation>
        </message>
        <message>
            <location line="+10" />
            <source>My work sections</source>
            <translation>Secciones de mi trabajo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Supervision</source>
            <translation>&amp;Supervisión</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Certification and CEU</source>
            <translation>&amp;Certificación y formación continua</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Wellbeing (private)</source>
            <translation>&amp;Bienestar (privado)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Self-care &amp;plan (private)</source>
            <translation>&amp;Plan de autocuidado (privado)</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Period</source>
            <translation>Período</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Requirement period</source>
            <translation>Período del requisito</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/today.py" line="+5" />
            <source>This month</source>
            <translation>Este mes</translation>
        </message>
        <message>
            <location line="+1" />
            <source>This quarter</source>
            <translation>Este trimestre</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Dates from … to</source>
            <translation>Fechas desde … hasta</translation>
        </message>
        <message>
            <location line="+3" />
            <source>From</source>
            <translation>Desde</translation>
        </message>
        <message>
            <location line="+1" />
            <source>To</source>
            <translation>Hasta</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Hours in peri&amp;od:</source>
            <translation>Horas en el perío&amp;do:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Supervision hours in the period</source>
            <translation>Horas de supervisión en el período</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Supervision sessions</source>
            <translation>Sesiones de supervisión</translation>
        </message>
        <message>
            <location line="+3" />
            <location filename="../../ui/screens/team.py" line="+22" />
            <source>Minutes</source>
            <translation>Minutos</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/team.py" line="+0" />
            <source>Kind</source>
            <translation>Tipo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Supervisor</source>
            <translation>Supervisor(a)</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/team.py" line="+0" />
            <location filename="../../ui/screens/work_forms.py" line="-65" />
            <source>Topics</source>
            <translation>Temas</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/team.py" line="+0" />
            <location filename="../../ui/screens/work_forms.py" line="+33" />
            <source>Follow-ups</source>
            <translation>Tareas acordadas</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Add session…</source>
            <translation>&amp;Agregar sesión…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Add a supervision session</source>
            <translation>Agregar una sesión de supervisión</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Follow-ups…</source>
            <translation>&amp;Tareas acordadas…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Tick follow-ups done</source>
            <translation>Marcar las tareas hechas</translation>
        </message>
        <message>
            <location line="+20" />
            <location filename="../../ui/screens/sync_details.py" line="-367" />
            <location filename="../../ui/screens/team.py" line="-11" />
            <location filename="../../ui/screens/work_forms.py" line="+30" />
            <source>Certification</source>
            <translation>Certificación</translation>
        </message>
        <message>
            <location line="+1" />
            <source>CEU hours in the renewal period</source>
            <translation>Horas de formación continua en el período de renovación</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Set cer&amp;tification…</source>
            <translation>Registrar la certificació&amp;n…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Record or renew the certification</source>
            <translation>Registrar o renovar la certificación</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Add C&amp;EU…</source>
            <translation>Agregar &amp;formación…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Add a continuing-education entry</source>
            <translation>Agregar una actividad de formación continua</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Continuing education</source>
            <translation>Formación continua</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/team.py" line="+15" />
            <source>Title</source>
            <translation>Título</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/team.py" line="+0" />
            <source>Provider</source>
            <translation>Proveedor</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/team.py" line="+0" />
            <source>Hours</source>
            <translation>Horas</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/team.py" line="+0" />
            <source>Evidence</source>
            <translation>Comprobante</translation>
        </message>
        <message>
            <location line="+18" />
            <source>My wellbeing check-ins</source>
            <translation>Mis registros de bienestar</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/team.py" line="+4" />
            <location filename="../../ui/screens/work_forms.py" line="+98" />
            <source>Energy</source>
            <translation>Energía</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/team.py" line="+0" />
            <location filename="../../ui/screens/work_forms.py" line="+1" />
            <source>Stress</source>
            <translation>Estrés</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/team.py" line="+0" />
            <source>Support</source>
            <translation>Apoyo</translation>
        </message>
        <message>
            <location line="+0" />
            <location line="+135" />
            <source>Shared</source>
            <translation>Compartido</translation>
        </message>
        <message>
            <location line="-133" />
            <source>Add a private check-in</source>
            <translation>Agregar un registro privado</translation>
        </message>
        <message>
            <location line="+2" />
            <source>S&amp;hare with my supervisor…</source>
            <translation>Compartir con mi supervis&amp;or(a)…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Share the chosen check-in with my supervisor</source>
            <translation>Compartir el registro elegido con mi supervisor(a)</translation>
        </message>
        <message>
            <location line="+18" />
            <source>Private: your self-care plan stays on this laptop, encrypted, and is never sent to anyone.</source>
            <translation>Privado: su plan de autocuidado se queda en esta computadora, cifrado, y nunca se envía a nadie.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>My warning signs</source>
            <translation>Mis señales de alerta</translation>
        </message>
        <message>
            <location line="+1" />
            <source>What helps me</source>
            <translation>Lo que me ayuda</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Who I call</source>
            <translation>A quién llamo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sa&amp;ve plan</source>
            <translation>&amp;Guardar el plan</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Save my self-care plan</source>
            <translation>Guardar mi plan de autocuidado</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Self-care plan status</source>
            <translation>Estado del plan de autocuidado</translation>
        </message>
        <message>
            <location line="+4" />
            <source>My warnin&amp;g signs:</source>
            <translation>Mis señales de a&amp;lerta:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>What &amp;helps me:</source>
            <translation>Lo que me a&amp;yuda:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Who I ca&amp;ll:</source>
            <translation>A quién lla&amp;mo:</translation>
        </message>
        <message numerus="yes">
            <location line="+31" />
            <location filename="../../ui/screens/record.py" line="+59" />
            <source>%n record(s) could not be read.</source>
            <translation>
                <numerusform>No se pudo leer %n registro.</numerusform>
                <numerusform>No se pudieron leer %n registros.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+7" />
            <source>Supervision: {sup}. Certification: {cert}. CEU: {ceu}.</source>
            <translation>Supervisión: {sup}. Certificación: {cert}. Formación continua: {ceu}.</translation>
        </message>
        <message>
            <location line="+18" />
            <source>{open} open of {all}</source>
            <translation>{open} pendientes de {all}</translation>
        </message>
        <message>
            <location line="+4" />
            <source>none agreed</source>
            <translation>ninguna acordada</translation>
        </message>
        <message>
            <location line="+8" />
            <source>No certification recorded.</source>
            <translation>No hay ninguna certificación registrada.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>{state} certification {number}, issued {issued}. {reminder}</source>
            <translation>Certificación de {state} n.º {number}, emitida el {issued}. {reminder}</translation>
        </message>
        <message>
            <location line="+8" />
            <source>CEU hours from {period}: {progress}</source>
            <translation>Horas de formación continua del {period}: {progress}</translation>
        </message>
        <message>
            <location line="+19" />
            <source>Private</source>
            <translation>Privado</translation>
        </message>
        <message>
            <location line="+42" />
            <source>{hours} h of supervision from {start} to {end}</source>
            <translation>{hours} h de supervisión del {start} al {end}</translation>
        </message>
        <message>
            <location line="+5" />
            <source>(required: {hours} h in {months})</source>
            <translation>(se requieren {hours} h en {months})</translation>
        </message>
        <message numerus="yes">
            <location line="+1" />
            <location filename="../../ui/screens/team.py" line="+58" />
            <source>%n month(s)</source>
            <translation>
                <numerusform>%n mes</numerusform>
                <numerusform>%n meses</numerusform>
            </translation>
        </message>
        <message>
            <location line="+21" />
            <source>Add a supervision session first.</source>
            <translation>Primero agregue una sesión de supervisión.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Choose a session first, then Follow-ups…</source>
            <translation>Primero elija una sesión y luego Tareas acordadas…</translation>
        </message>
        <message>
            <location line="+23" />
            <source>Choose a check-in to share first.</source>
            <translation>Primero elija un registro para compartir.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>That check-in is shared already.</source>
            <translation>Ese registro ya está compartido.</translation>
        </message>
        <message>
            <location line="+5" />
            <location filename="../../ui/screens/work_forms.py" line="+37" />
            <source>Share a check-in</source>
            <translation>Compartir un registro</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Share your check-in of {date} with your supervisor? It will be sent, encrypted, at the next sync and cannot be taken back. Your other check-ins stay private.</source>
            <translation>¿Compartir su registro del {date} con su supervisor(a)? Se enviará cifrado en la próxima sincronización y no se podrá retirar. Sus otros registros siguen siendo privados.</translation>
        </message>
        <message>
            <location line="+20" />
            <source>Saved on this laptop only.</source>
            <translation>Guardado solo en esta computadora.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/today.py" line="+7" />
            <source>This month's units and miles</source>
            <translation>Unidades y millas de este mes</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Export mileage &amp;claim…</source>
            <translation>Exportar la solicitud de &amp;millaje…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Export this month's mileage claim as CSV</source>
            <translation>Exportar la solicitud de millaje de este mes como CSV</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Your trips of this month for reimbursement: no participant data in it</source>
            <translation>Sus viajes de este mes para el reembolso: sin datos de participantes</translation>
        </message>
        <message>
            <location line="+63" />
            <source>Today, {date}</source>
            <translation>Hoy, {date}</translation>
        </message>
        <message>
            <location line="+50" />
            <source>(unknown participant)</source>
            <translation>(participante desconocido)</translation>
        </message>
        <message>
            <location line="+16" />
            <source>No drafts waiting. All notes are signed.</source>
            <translation>No hay borradores pendientes. Todas las notas están firmadas.</translation>
        </message>
        <message>
            <location line="+11" />
            <source>{name} · {template}, contact on {day} · signed at {time}</source>
            <translation>{name} · {template}, contacto del {day} · firmada a las {time}</translation>
        </message>
        <message>
            <location line="+7" />
            <source>No notes signed today yet.</source>
            <translation>Todavía no hay notas firmadas hoy.</translation>
        </message>
        <message>
            <location line="+10" />
            <source>miles unclear: check the odometer readings</source>
            <translation>millas no claras: revise las lecturas del odómetro</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review_reader.py" line="-398" />
            <source>miles unclear</source>
            <translation>millas poco claras</translation>
        </message>
        <message>
            <location line="+2" />
            <location filename="../../ui/screens/today.py" line="+3" />
            <location line="+18" />
            <source>{miles} miles</source>
            <translation>{miles} millas</translation>
        </message>
        <message>
            <location line="+18" />
            <source>{state} · {when} · {actor}</source>
            <translation>{state} · {when} · {actor}</translation>
        </message>
        <message>
            <location line="+23" />
            <source>Location</source>
            <translation>Lugar</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Signed by the peer</source>
            <translation>Firmada por el especialista</translation>
        </message>
        <message>
            <location line="+0" />
            <source>not signed</source>
            <translation>sin firmar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Received by the agency</source>
            <translation>Recibida por la agencia</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Length</source>
            <translation>Duración</translation>
        </message>
        <message numerus="yes">
            <location line="+0" />
            <source>%n minute(s)</source>
            <translation>
                <numerusform>%n minuto</numerusform>
                <numerusform>%n minutos</numerusform>
            </translation>
        </message>
        <message>
            <location line="+2" />
            <source>Medicaid ID</source>
            <translation>Número de Medicaid</translation>
        </message>
        <message>
            <location line="+33" />
            <source>Cannot be read: {reason} (record {seq})</source>
            <translation>No se puede leer: {reason} (registro {seq})</translation>
        </message>
        <message>
            <location line="+63" />
            <source>Note under review</source>
            <translation>Nota en revisión</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Note text, addenda, trips and history</source>
            <translation>Texto de la nota, anexos, viajes e historial</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Choose a note in the queue to read it here.</source>
            <translation>Elija una nota de la cola para leerla aquí.</translation>
        </message>
        <message>
            <location line="+2" />
            <location line="+138" />
            <location line="+7" />
            <source>Decision</source>
            <translation>Decisión</translation>
        </message>
        <message>
            <location line="-142" />
            <source>Co&amp;mment for the peer (required to return the note):</source>
            <translation>Co&amp;mentario para el especialista (obligatorio para devolver la nota):</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Comment for the peer</source>
            <translation>Comentario para el especialista</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Decision message</source>
            <translation>Mensaje de la decisión</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Participant's recor&amp;d…</source>
            <translation>E&amp;xpediente del participante…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Open the participant's recovery plan, consents and outcomes</source>
            <translation>Abrir el plan de recuperación, los consentimientos y los resultados del participante</translation>
        </message>
        <message>
            <location line="+5" />
            <source>&amp;Approve (co-sign)</source>
            <translation>&amp;Aprobar (cofirmar)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Approve and co-sign the note</source>
            <translation>Aprobar y cofirmar la nota</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Approve and co-sign; your name and the time are recorded (Ctrl+Shift+A)</source>
            <translation>Aprobar y cofirmar; se registran su nombre y la hora (Ctrl+Mayús+A)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Return to the peer</source>
            <translation>&amp;Devolver al especialista</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Return the note to the peer with the comment</source>
            <translation>Devolver la nota al especialista con el comentario</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Send the note back with your comment; a comment is required (Ctrl+Shift+R)</source>
            <translation>Devolver la nota con su comentario; el comentario es obligatorio (Ctrl+Mayús+R)</translation>
        </message>
        <message>
            <location line="+108" />
            <source>Decision: this record cannot be read, so it cannot be decided</source>
            <translation>Decisión: este registro no se puede leer, así que no se puede decidir</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Decision: nothing to decide ({state})</source>
            <translation>Decisión: nada que decidir ({state})</translation>
        </message>
        <message>
            <location line="+17" />
            <source>Write what the peer should change before you return the note.</source>
            <translation>Escriba qué debe cambiar el especialista antes de devolver la nota.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>The comment is too long: at most {limit} characters.</source>
            <translation>El comentario es demasiado largo: como máximo {limit} caracteres.</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Sending your decision to the agency…</source>
            <translation>Enviando su decisión a la agencia…</translation>
        </message>
        <message>
            <location line="+22" />
            <source>Approved and co-signed by {name} at {when}.</source>
            <translation>Aprobada y cofirmada por {name} el {when}.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Returned to the peer by {name} at {when}.</source>
            <translation>Devuelta al especialista por {name} el {when}.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/today.py" line="-10" />
            <source>with {name}</source>
            <translation>con {name}</translation>
        </message>
        <message>
            <location line="+2" />
            <source>with a participant</source>
            <translation>con un participante</translation>
        </message>
        <message>
            <location line="+3" />
            <source>No trips logged today.</source>
            <translation>No hay viajes registrados hoy.</translation>
        </message>
        <message numerus="yes">
            <location line="+3" />
            <source>Total today: %n trip(s)</source>
            <translation>
                <numerusform>Total de hoy: %n viaje</numerusform>
                <numerusform>Total de hoy: %n viajes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+6" />
            <source>%n change(s) waiting to sync.</source>
            <translation>
                <numerusform>%n cambio por sincronizar.</numerusform>
                <numerusform>%n cambios por sincronizar.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+2" />
            <source>%n held back by the agency.</source>
            <translation>
                <numerusform>%n retenido por la agencia.</numerusform>
                <numerusform>%n retenidos por la agencia.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+4" />
            <source>%n draft(s) to finish</source>
            <translation>
                <numerusform>%n borrador por terminar</numerusform>
                <numerusform>%n borradores por terminar</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+1" />
            <source>%n overdue</source>
            <translation>
                <numerusform>%n atrasado</numerusform>
                <numerusform>%n atrasados</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+1" />
            <source>%n signed today</source>
            <translation>
                <numerusform>%n firmada hoy</numerusform>
                <numerusform>%n firmadas hoy</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+1" />
            <source>%n trip(s) today</source>
            <translation>
                <numerusform>%n viaje hoy</numerusform>
                <numerusform>%n viajes hoy</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+1" />
            <source>%n appointment(s) coming up</source>
            <translation>
                <numerusform>%n cita próxima</numerusform>
                <numerusform>%n citas próximas</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+1" />
            <source>%n unsynced change(s)</source>
            <translation>
                <numerusform>%n cambio sin sincronizar</numerusform>
                <numerusform>%n cambios sin sincronizar</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+7" />
            <source>%n damaged record(s) could not be read and are not shown.</source>
            <translation>
                <numerusform>%n registro dañado no se pudo leer y no se muestra.</numerusform>
                <numerusform>%n registros dañados no se pudieron leer y no se muestran.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+12" />
            <source>Certification: {state}, {text}.</source>
            <translation>Certificación: {state}, {text}.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Supervision this period: {text}.</source>
            <translation>Supervisión en este período: {text}.</translation>
        </message>
        <message>
            <location line="+1" />
            <source>My work: </source>
            <translation>Mi trabajo: </translation>
        </message>
        <message>
            <location line="+5" />
            <source>This month: {month}</source>
            <translation>Este mes: {month}</translation>
        </message>
        <message>
            <location line="+6" />
            <source>The month's units and miles could not be counted. {reason}</source>
            <translation>No se pudieron contar las unidades y millas del mes. {reason}</translation>
        </message>
        <message numerus="yes">
            <location line="+6" />
            <source>Billable units: {units} from %n note(s)</source>
            <translation>
                <numerusform>Unidades facturables: {units} de %n nota</numerusform>
                <numerusform>Unidades facturables: {units} de %n notas</numerusform>
            </translation>
        </message>
        <message>
            <location line="+4" />
            <source>Flagged notes: {flagged} (unsigned, not approved yet or over the day's limit)</source>
            <translation>Notas señaladas: {flagged} (sin firmar, aún no aprobadas o por encima del límite del día)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Miles: {miles} · reimbursement {amount} at {rate} a mile</source>
            <translation>Millas: {miles} · reembolso {amount} a {rate} por milla</translation>
        </message>
        <message>
            <location line="+21" />
            <source>Mileage claim, {month}</source>
            <translation>Solicitud de millaje, {month}</translation>
        </message>
        <message numerus="yes">
            <location line="+24" />
            <source>Mileage claim written to {path} (%n line(s)).</source>
            <translation>
                <numerusform>Solicitud de millaje escrita en {path} (%n línea).</numerusform>
                <numerusform>Solicitud de millaje escrita en {path} (%n líneas).</numerusform>
            </translation>
        </message>
        <message>
            <location line="+16" />
            <source>{name} · {template}, contact on {day}</source>
            <translation>{name} · {template}, contacto del {day}</translation>
        </message>
        <message numerus="yes">
            <location line="+7" />
            <source>OVERDUE by %n day(s): it was due to be signed by {due}</source>
            <translation>
                <numerusform>ATRASADA por %n día: debía firmarse a más tardar el {due}</numerusform>
                <numerusform>ATRASADA por %n días: debía firmarse a más tardar el {due}</numerusform>
            </translation>
        </message>
        <message>
            <location line="+3" />
            <source>due today: sign it by the end of {due}</source>
            <translation>vence hoy: fírmela antes de que termine el {due}</translation>
        </message>
        <message numerus="yes">
            <location line="+2" />
            <source>sign within %n day(s), by {due}</source>
            <translation>
                <numerusform>fírmela dentro de %n día, a más tardar el {due}</numerusform>
                <numerusform>fírmela dentro de %n días, a más tardar el {due}</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/screens/trips.py" line="-257" />
            <source>1 trip</source>
            <translation>1 viaje</translation>
        </message>
        <message>
            <location line="+0" />
            <source>{n} trips</source>
            <translation>{n} viajes</translation>
        </message>
        <message>
            <location line="+1" />
            <source>{count}, {miles} miles, ${amount} at ${rate}/mile</source>
            <translation>{count}, {miles} millas, ${amount} a ${rate} por milla</translation>
        </message>
        <message>
            <location line="+64" />
            <source>Log a trip</source>
            <translation>Registrar un viaje</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/saving.py" line="+9" />
            <source>Save</source>
            <translation>Guardar</translation>
        </message>
        <message>
            <location filename="../../ui/screens/record_forms.py" line="-275" />
            <source>Edit goal</source>
            <translation>Editar meta</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Goal, in their words:</source>
            <translation>&amp;Meta, en sus palabras:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Life area:</source>
            <translation>Á&amp;rea de vida:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Status:</source>
            <translation>&amp;Estado:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Goal status</source>
            <translation>Estado de la meta</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Target date</source>
            <translation>&amp;Fecha objetivo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Target date</source>
            <translation>Fecha objetivo</translation>
        </message>
        <message>
            <location line="+7" />
            <source>S&amp;teps (one a line; [x] when done):</source>
            <translation>&amp;Pasos (uno por línea; [x] cuando se cumple):</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Steps</source>
            <translation>Pasos</translation>
        </message>
        <message>
            <location line="+50" />
            <source>Agreement and reviews</source>
            <translation>Acuerdo y revisiones</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Not agreed yet</source>
            <translation>Aún sin acuerdo</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Agreement:</source>
            <translation>&amp;Acuerdo:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Agreement</source>
            <translation>Acuerdo</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Agreed &amp;on:</source>
            <translation>Acordado &amp;el:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Agreed on</source>
            <translation>Acordado el</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Reviewed with the participant today</source>
            <translation>&amp;Revisado hoy con el participante</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Next review</source>
            <translation>Próxima re&amp;visión</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Next review</source>
            <translation>Próxima revisión</translation>
        </message>
        <message>
            <location line="+26" />
            <source>Voluntary intake</source>
            <translation>Ingreso voluntario</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Intake date:</source>
            <translation>Fecha de &amp;ingreso:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Intake date</source>
            <translation>Fecha de ingreso</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Referral source:</source>
            <translation>&amp;Fuente de referencia:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>e.g. self, hospital, court, friend</source>
            <translation>p. ej. por su cuenta, hospital, tribunal, amistad</translation>
        </message>
        <message>
            <location line="+18" />
            <source>&amp;Discharge date:</source>
            <translation>Fecha de &amp;alta:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Discharge date</source>
            <translation>Fecha de alta</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Choose a reason</source>
            <translation>Elija un motivo</translation>
        </message>
        <message>
            <location filename="../../ui/screens/crisis.py" line="+53" />
            <source>1. Warning signs</source>
            <translation>1. Señales de alerta</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Thoughts, moods, situations that say a crisis may be coming</source>
            <translation>Pensamientos, estados de ánimo o situaciones que anuncian que puede venir una crisis</translation>
        </message>
        <message>
            <location line="+3" />
            <source>2. Things I can do on my own</source>
            <translation>2. Lo que puedo hacer por mi cuenta</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Ways to take my mind off things without calling anyone</source>
            <translation>Formas de distraerme sin llamar a nadie</translation>
        </message>
        <message>
            <location line="+3" />
            <source>3. People and places that distract me</source>
            <translation>3. Personas y lugares que me distraen</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Who to be with, where to go, to feel better for a while</source>
            <translation>Con quién estar y adónde ir para sentirme mejor un rato</translation>
        </message>
        <message>
            <location line="+3" />
            <source>4. People I can ask for help</source>
            <translation>4. Personas a las que puedo pedir ayuda</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Name and phone, one a line</source>
            <translation>Nombre y teléfono, uno por línea</translation>
        </message>
        <message>
            <location line="+3" />
            <source>5. Professionals and services to call</source>
            <translation>5. Profesionales y servicios a los que llamar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Clinician, local crisis line, 988 (call or text), emergency room</source>
            <translation>Terapeuta, línea de crisis local, 988 (llamada o mensaje de texto), sala de urgencias</translation>
        </message>
        <message>
            <location line="+3" />
            <source>6. Making my surroundings safer</source>
            <translation>6. Hacer más seguro mi entorno</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Putting away or handing over what could be used to hurt myself</source>
            <translation>Guardar o entregar a alguien lo que podría usar para hacerme daño</translation>
        </message>
        <message>
            <location line="+23" />
            <source>Crisis support: {name}</source>
            <translation>Apoyo en crisis: {name}</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+261" />
            <source>Crisis support</source>
            <translation>Apoyo en crisis</translation>
        </message>
        <message>
            <location line="-254" />
            <location filename="../../ui/screens/sync_details.py" line="+3" />
            <source>Crisis flag</source>
            <translation>Alerta de crisis</translation>
        </message>
        <message>
            <location line="+4" />
            <source>what is happening, in a few words</source>
            <translation>qué está pasando, en pocas palabras</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Reason for the crisis flag</source>
            <translation>Motivo de la alerta de crisis</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Flag in crisis</source>
            <translation>&amp;Marcar en crisis</translation>
        </message>
        <message>
            <location line="+5" />
            <source>how it ended (optional)</source>
            <translation>cómo terminó (opcional)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>How the crisis ended</source>
            <translation>Cómo terminó la crisis</translation>
        </message>
        <message>
            <location line="+2" />
            <source>C&amp;lear the flag</source>
            <translation>&amp;Quitar la alerta</translation>
        </message>
        <message>
            <location line="+4" />
            <location filename="../../ui/screens/record_forms.py" line="+2" />
            <source>&amp;Reason:</source>
            <translation>&amp;Motivo:</translation>
        </message>
        <message>
            <location line="+8" />
            <location filename="../../ui/screens/sync_details.py" line="+1" />
            <source>Safety plan</source>
            <translation>Plan de seguridad</translation>
        </message>
        <message>
            <location line="+17" />
            <source>&amp;Save the safety plan</source>
            <translation>&amp;Guardar el plan de seguridad</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Who to call</source>
            <translation>A quién llamar</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Crisis lines and the plan's contacts</source>
            <translation>Líneas de crisis y contactos del plan</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Crisis flags so far</source>
            <translation>Alertas de crisis hasta ahora</translation>
        </message>
        <message>
            <location line="+2" />
            <source>988 and crisis lines, then the plan's people and services:</source>
            <translation>El 988 y las líneas de crisis; después, las personas y servicios del plan:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Flags so far:</source>
            <translation>Alertas hasta ahora:</translation>
        </message>
        <message>
            <location line="+34" />
            <source>{name} is not flagged in crisis.</source>
            <translation>{name} no está marcado/a en crisis.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>IN CRISIS since {at}: {reason} (flagged by {who})</source>
            <translation>EN CRISIS desde {at}: {reason} (marcado por {who})</translation>
        </message>
        <message>
            <location line="+17" />
            <source>☎ 988 Suicide and Crisis Lifeline: call or text 988</source>
            <translation>☎ 988 Línea de Prevención del Suicidio y Crisis: llame o envíe un mensaje de texto al 988</translation>
        </message>
        <message>
            <location line="+8" />
            <source>{at}: {reason} (by {who}), in force</source>
            <translation>{at}: {reason} (por {who}), vigente</translation>
        </message>
        <message>
            <location line="+7" />
            <source>{at}: {reason} (by {who}); cleared {cleared} by {by}</source>
            <translation>{at}: {reason} (por {who}); quitada el {cleared} por {by}</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Flagged in crisis. It syncs first.</source>
            <translation>Marcado en crisis. Se sincroniza antes que todo lo demás.</translation>
        </message>
        <message>
            <location line="+7" />
            <source>The crisis flag is cleared.</source>
            <translation>Se quitó la alerta de crisis.</translation>
        </message>
        <message>
            <location line="+15" />
            <source>The safety plan is saved.</source>
            <translation>El plan de seguridad está guardado.</translation>
        </message>
        <message>
            <location line="+62" />
            <source>Cr&amp;isis…</source>
            <translation>Cr&amp;isis…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Crisis flag and safety plan</source>
            <translation>Alerta de crisis y plan de seguridad</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Flag a crisis, the safety plan and crisis lines ({key})</source>
            <translation>Marcar una crisis, el plan de seguridad y las líneas de crisis ({key})</translation>
        </message>
        <message>
            <location line="+26" />
            <source>Whose crisis panel?</source>
            <translation>¿De quién es el panel de crisis?</translation>
        </message>
        <message>
            <location filename="../../ui/screens/record_forms.py" line="+0" />
            <source>Discharge reason</source>
            <translation>Motivo del alta</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+91" />
            <source>&amp;Note:</source>
            <translation>&amp;Nota:</translation>
        </message>
        <message>
            <location line="-91" />
            <source>Discharge note</source>
            <translation>Nota del alta</translation>
        </message>
        <message>
            <location line="+24" />
            <source>Consent to release information</source>
            <translation>Consentimiento para divulgar información</translation>
        </message>
        <message>
            <location line="+4" />
            <source>{name} agrees that the program may share the information below. Every field is required by 42 CFR Part 2.</source>
            <translation>{name} acepta que el programa comparta la información siguiente. Todos los campos son obligatorios según 42 CFR Parte 2.</translation>
        </message>
        <message>
            <location line="+6" />
            <source>&amp;From (who may share):</source>
            <translation>&amp;De (quién puede compartir):</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Who may share</source>
            <translation>Quién puede compartir</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;To (recipient):</source>
            <translation>&amp;Para (destinatario):</translation>
        </message>
        <message>
            <location line="+2" />
            <source>a service's name as in Resources covers referrals</source>
            <translation>el nombre de un servicio tal como aparece en Recursos cubre las derivaciones</translation>
        </message>
        <message>
            <location line="+1" />
            <source>What may be shared</source>
            <translation>Qué se puede compartir</translation>
        </message>
        <message>
            <location line="+9" />
            <source>How &amp;much and what kind:</source>
            <translation>&amp;Cuánta y qué tipo:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>How much and what kind</source>
            <translation>Cuánta y qué tipo</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Expires on:</source>
            <translation>&amp;Vence el:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Expires on</source>
            <translation>Vence el</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Signed &amp;by:</source>
            <translation>&amp;Firmado por:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Signed by</source>
            <translation>Firmado por</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Signed on:</source>
            <translation>Fecha de fir&amp;ma:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Signed on</source>
            <translation>Fecha de firma</translation>
        </message>
        <message>
            <location line="+2" />
            <source>The participant was told they may &amp;revoke this consent, and how</source>
            <translation>Se informó al participante que puede &amp;revocar este consentimiento, y cómo</translation>
        </message>
        <message>
            <location line="+30" />
            <source>Revoke consent</source>
            <translation>Revocar consentimiento</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Revoked on:</source>
            <translation>&amp;Revocado el:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Revoked on</source>
            <translation>Revocado el</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Revocation note</source>
            <translation>Nota de revocación</translation>
        </message>
        <message>
            <location line="+18" />
            <location filename="../../ui/screens/sync_details.py" line="-7" />
            <source>Outcome check-in</source>
            <translation>Evaluación de resultados</translation>
        </message>
        <message>
            <location line="+2" />
            <location filename="../../ui/screens/trips.py" line="+13" />
            <location filename="../../ui/screens/work_forms.py" line="-209" />
            <location line="+128" />
            <location line="+42" />
            <source>&amp;Date:</source>
            <translation>&amp;Fecha:</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/work_forms.py" line="+0" />
            <source>Check-in date</source>
            <translation>Fecha de la evaluación</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Occasion:</source>
            <translation>&amp;Ocasión:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>WHO-5: over the last two weeks (0 at no time … 5 all of the time)</source>
            <translation>WHO-5: en las últimas dos semanas (0 nunca … 5 todo el tiempo)</translation>
        </message>
        <message>
            <location line="+6" />
            <source>BARC-10: how much they agree (1 strongly disagree … 6 strongly agree)</source>
            <translation>BARC-10: cuánto está de acuerdo (1 muy en desacuerdo … 6 muy de acuerdo)</translation>
        </message>
        <message>
            <location line="+5" />
            <source>&amp;ER visits, last 30 days:</source>
            <translation>Visitas a &amp;urgencias, últimos 30 días:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Hospital nights, last 30 days:</source>
            <translation>Noches en &amp;hospital, últimos 30 días:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Hou&amp;sing, last 30 days:</source>
            <translation>&amp;Vivienda, últimos 30 días:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Work, last 30 days:</source>
            <translation>&amp;Trabajo, últimos 30 días:</translation>
        </message>
        <message>
            <location line="+9" />
            <source>not asked</source>
            <translation>no preguntado</translation>
        </message>
        <message>
            <location line="-95" />
            <location filename="../../ui/screens/trips.py" line="+5" />
            <source>&amp;Purpose:</source>
            <translation>&amp;Motivo:</translation>
        </message>
        <message>
            <location filename="../../ui/screens/trips.py" line="+6" />
            <source>Destination &amp;type:</source>
            <translation>&amp;Tipo de destino:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Miles driven</source>
            <translation>M&amp;illas recorridas</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Odometer readings</source>
            <translation>Lecturas del &amp;odómetro</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Distance given as</source>
            <translation>Distancia indicada como</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Distance:</source>
            <translation>Distancia:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>for example 12.5</source>
            <translation>por ejemplo 12.5</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Mi&amp;les:</source>
            <translation>Mi&amp;llas:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Odometer &amp;start:</source>
            <translation>Odómetro i&amp;nicial:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Odometer &amp;end:</source>
            <translation>Odómetro fin&amp;al:</translation>
        </message>
        <message>
            <location line="+3" />
            <location line="+187" />
            <source>(no participant)</source>
            <translation>(sin participante)</translation>
        </message>
        <message>
            <location line="-185" />
            <source>The participant rode &amp;with me</source>
            <translation>El participante viajó &amp;conmigo</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+49" />
            <source>With participant</source>
            <translation>Con participante</translation>
        </message>
        <message>
            <location line="-45" />
            <source>place name or address (kept encrypted)</source>
            <translation>nombre del lugar o dirección (se guarda cifrado)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Desti&amp;nation:</source>
            <translation>&amp;Destino:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>No&amp;tes:</source>
            <translation>Nota&amp;s:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Save trip</source>
            <translation>&amp;Guardar viaje</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Save trip</source>
            <translation>Guardar viaje</translation>
        </message>
        <message numerus="yes">
            <location line="+272" />
            <source>%n trip record(s) of this month are damaged and not shown.</source>
            <translation>
                <numerusform>%n registro de viaje de este mes está dañado y no se muestra.</numerusform>
                <numerusform>%n registros de viaje de este mes están dañados y no se muestran.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+5" />
            <source>%n trip(s) with readings that do not add up: not counted.</source>
            <translation>
                <numerusform>%n viaje tiene lecturas que no cuadran y no se cuenta.</numerusform>
                <numerusform>%n viajes tienen lecturas que no cuadran y no se cuentan.</numerusform>
            </translation>
        </message>
        <message>
            <location line="-337" />
            <source>Trip form status</source>
            <translation>Estado del formulario de viaje</translation>
        </message>
        <message>
            <location line="+79" />
            <source>Trips by month</source>
            <translation>Viajes por mes</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Month</source>
            <translation>Mes</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Mont&amp;h:</source>
            <translation>M&amp;es:</translation>
        </message>
        <message>
            <location filename="../../ui/screens/record.py" line="-138" />
            <source>Record of {name}</source>
            <translation>Expediente de {name}</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Participant's record</source>
            <translation>Expediente del participante</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Parts of the record</source>
            <translation>Partes del expediente</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Recovery &amp;plan</source>
            <translation>&amp;Plan de recuperación</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Enrollment</source>
            <translation>&amp;Inscripción</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Consents</source>
            <translation>&amp;Consentimientos</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Care &amp;team</source>
            <translation>Equipo de a&amp;tención</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Outcomes</source>
            <translation>&amp;Resultados</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Record status</source>
            <translation>Estado del expediente</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/enroll.py" line="+43" />
            <source>Connect to your agency</source>
            <translation>Conectarse a su agencia</translation>
        </message>
        <message>
            <location line="+8" />
            <source>You can also skip this now and connect later: the Sync screen has the same form.</source>
            <translation>También puede omitir esto ahora y conectarse más tarde: la pantalla Sincronizar tiene el mismo formulario.</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Connecting later</source>
            <translation>Conectarse más tarde</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Skip for now</source>
            <translation>Omitir &amp;por ahora</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Skip connecting for now</source>
            <translation>Omitir la conexión por ahora</translation>
        </message>
        <message>
            <location line="+23" />
            <source>Clo&amp;se</source>
            <translation>Ce&amp;rrar</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/crisis.py" line="-189" />
            <location filename="../../ui/screens/record.py" line="+1" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <location line="+51" />
            <source>Not connected to your agency yet: the Sync screen has the form when you are ready.</source>
            <translation>Todavía no está conectado a su agencia: la pantalla Sincronizar tiene el formulario cuando esté listo.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/record.py" line="+0" />
            <source>Close the record</source>
            <translation>Cerrar el expediente</translation>
        </message>
        <message>
            <location line="+27" />
            <source>Plan agreement and reviews</source>
            <translation>Acuerdo y revisiones del plan</translation>
        </message>
        <message>
            <location line="+3" />
            <location filename="../../ui/screens/record_forms.py" line="-185" />
            <source>Goal</source>
            <translation>Meta</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/record_forms.py" line="+3" />
            <source>Life area</source>
            <translation>Área de vida</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Target</source>
            <translation>Objetivo</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Steps done</source>
            <translation>Pasos hechos</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Notes on it</source>
            <translation>Notas sobre ella</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Progress</source>
            <translation>Progreso</translation>
        </message>
        <message>
            <location line="+6" />
            <source>&amp;Goals:</source>
            <translation>&amp;Metas:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Add goal…</source>
            <translation>&amp;Agregar meta…</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/record_forms.py" line="-6" />
            <source>Add a goal</source>
            <translation>Agregar una meta</translation>
        </message>
        <message>
            <location line="+1" />
            <source>E&amp;dit goal…</source>
            <translation>E&amp;ditar meta…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Edit the chosen goal</source>
            <translation>Editar la meta elegida</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Agreement and re&amp;views…</source>
            <translation>Acuerdo y re&amp;visiones…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Record agreement and reviews</source>
            <translation>Registrar acuerdo y revisiones</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Enrollment status</source>
            <translation>Estado de la inscripción</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Enrollments</source>
            <translation>Inscripciones</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/record_forms.py" line="+115" />
            <source>Referral source</source>
            <translation>Fuente de referencia</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Reason</source>
            <translation>Motivo</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Intake…</source>
            <translation>&amp;Ingreso…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Record a voluntary intake</source>
            <translation>Registrar un ingreso voluntario</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Disc&amp;harge…</source>
            <translation>&amp;Alta…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Record a discharge</source>
            <translation>Registrar un alta</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Consents status</source>
            <translation>Estado de los consentimientos</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Consents</source>
            <translation>Consentimientos</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/record_forms.py" line="+74" />
            <location filename="../../ui/screens/trips.py" line="+11" />
            <source>Purpose</source>
            <translation>Motivo</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/record_forms.py" line="-14" />
            <source>Recipient</source>
            <translation>Destinatario</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Shares</source>
            <translation>Comparte</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Expires</source>
            <translation>Vence</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Add co&amp;nsent…</source>
            <translation>Agregar co&amp;nsentimiento…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Record a consent</source>
            <translation>Registrar un consentimiento</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Revoke…</source>
            <translation>&amp;Revocar…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Revoke the chosen consent</source>
            <translation>Revocar el consentimiento elegido</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Next check-in</source>
            <translation>Próxima evaluación</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Check-ins</source>
            <translation>Evaluaciones</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/record_forms.py" line="+76" />
            <source>Occasion</source>
            <translation>Ocasión</translation>
        </message>
        <message>
            <location line="+0" />
            <source>WHO-5 %</source>
            <translation>WHO-5 %</translation>
        </message>
        <message>
            <location line="+0" />
            <source>BARC-10</source>
            <translation>BARC-10</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/record_forms.py" line="+14" />
            <source>ER visits</source>
            <translation>Visitas a urgencias</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/record_forms.py" line="+2" />
            <source>Hospital nights</source>
            <translation>Noches en hospital</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Work</source>
            <translation>Trabajo</translation>
        </message>
        <message>
            <location line="+3" />
            <source>WHO-5 wellbeing (percent)</source>
            <translation>Bienestar WHO-5 (porcentaje)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>below: poor wellbeing</source>
            <translation>debajo: bienestar bajo</translation>
        </message>
        <message>
            <location line="+3" />
            <source>BARC-10 recovery capital (total)</source>
            <translation>Capital de recuperación BARC-10 (total)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>strong recovery capital</source>
            <translation>capital de recuperación sólido</translation>
        </message>
        <message>
            <location filename="../../ui/screens/my_work.py" line="-260" />
            <location filename="../../ui/screens/record.py" line="+6" />
            <source>Add chec&amp;k-in…</source>
            <translation>Agregar e&amp;valuación…</translation>
        </message>
        <message>
            <location filename="../../ui/screens/record.py" line="+0" />
            <source>Record an outcome check-in</source>
            <translation>Registrar una evaluación de resultados</translation>
        </message>
        <message>
            <location line="+41" />
            <source>The participant has not agreed to a plan yet.</source>
            <translation>El participante aún no ha aceptado un plan.</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Agreed ({how}) on {day}.</source>
            <translation>Acordado ({how}) el {day}.</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Last reviewed {day}.</source>
            <translation>Última revisión {day}.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Next review {day}.</source>
            <translation>Próxima revisión {day}.</translation>
        </message>
        <message>
            <location line="+39" />
            <source>Enrolled since {day}.</source>
            <translation>Inscrito desde {day}.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Not enrolled now.</source>
            <translation>No está inscrito ahora.</translation>
        </message>
        <message numerus="yes">
            <location line="+23" />
            <source>%n current consent(s).</source>
            <translation>
                <numerusform>%n consentimiento vigente.</numerusform>
                <numerusform>%n consentimientos vigentes.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+2" />
            <source>No current consent: referrals cannot share this person's information.</source>
            <translation>Sin consentimiento vigente: las derivaciones no pueden compartir la información de esta persona.</translation>
        </message>
        <message>
            <location line="+34" />
            <source>Check-ins are due while the person is enrolled.</source>
            <translation>Las evaluaciones corresponden mientras la persona está inscrita.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>A check-in is due (since {day}).</source>
            <translation>Hay una evaluación pendiente (desde {day}).</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Next check-in due {day}.</source>
            <translation>Próxima evaluación el {day}.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/trips.py" line="+1" />
            <source>Destination type</source>
            <translation>Tipo de destino</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Destination</source>
            <translation>Destino</translation>
        </message>
        <message>
            <location filename="../../ui/screens/report_tabs.py" line="-138" />
            <location filename="../../ui/screens/trips.py" line="+2" />
            <source>Miles</source>
            <translation>Millas</translation>
        </message>
        <message>
            <location filename="../../ui/screens/trips.py" line="+3" />
            <source>Trips of the month</source>
            <translation>Viajes del mes</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Month totals</source>
            <translation>Totales del mes</translation>
        </message>
        <message>
            <location line="+35" />
            <source>enter a number, for example 12.5</source>
            <translation>escriba un número, por ejemplo 12.5</translation>
        </message>
        <message>
            <location line="+60" />
            <source>Trip of {date} saved: {miles} miles.</source>
            <translation>Viaje del {date} guardado: {miles} millas.</translation>
        </message>
        <message>
            <location line="+10" />
            <source>The trip was not saved; please check the form.</source>
            <translation>No se guardó el viaje; revise el formulario.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/record_care_team.py" line="-176" />
            <source>Phone: {v}</source>
            <translation>Teléfono: {v}</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Email: {v}</source>
            <translation>Correo electrónico: {v}</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Notes: {v}</source>
            <translation>Notas: {v}</translation>
        </message>
        <message>
            <location line="+2" />
            <source>not given</source>
            <translation>no indicado</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Care team status</source>
            <translation>Estado del equipo de atención</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Talking with someone about the participant needs a current consent that names them or their organization.</source>
            <translation>Para hablar con alguien sobre el participante hace falta un consentimiento vigente que nombre a esa persona o a su organización.</translation>
        </message>
        <message>
            <location line="+5" />
            <location line="+134" />
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <location line="-134" />
            <location line="+136" />
            <source>Role</source>
            <translation>Función</translation>
        </message>
        <message>
            <location line="-136" />
            <location line="+145" />
            <source>Organization</source>
            <translation>Organización</translation>
        </message>
        <message>
            <location line="-145" />
            <location line="+155" />
            <source>How to reach them</source>
            <translation>Cómo contactarle</translation>
        </message>
        <message>
            <location line="-154" />
            <location line="+166" />
            <location filename="../../ui/screens/sync_details.py" line="-1" />
            <source>Consent</source>
            <translation>Consentimiento</translation>
        </message>
        <message>
            <location line="-166" />
            <source>On the team</source>
            <translation>En el equipo</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Care team</source>
            <translation>Equipo de atención</translation>
        </message>
        <message>
            <location line="+13" />
            <source>Peop&amp;le:</source>
            <translation>Perso&amp;nas:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Add person…</source>
            <translation>&amp;Agregar persona…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Add someone to the care team</source>
            <translation>Agregar a alguien al equipo de atención</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Ed&amp;it…</source>
            <translation>&amp;Editar…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Edit the chosen person</source>
            <translation>Editar la persona elegida</translation>
        </message>
        <message>
            <location line="+2" />
            <source>E&amp;nd…</source>
            <translation>&amp;Dar de baja…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>The chosen person is no longer on the team</source>
            <translation>La persona elegida ya no forma parte del equipo</translation>
        </message>
        <message>
            <location line="+34" />
            <location filename="../../ui/screens/trips.py" line="+72" />
            <source>Yes</source>
            <translation>Sí</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Ended {day}</source>
            <translation>Dada de baja el {day}</translation>
        </message>
        <message>
            <location line="+13" />
            <source>No one is on the care team yet.</source>
            <translation>Todavía no hay nadie en el equipo de atención.</translation>
        </message>
        <message numerus="yes">
            <location line="+2" />
            <source>%n on the care team now.</source>
            <translation>
                <numerusform>%n persona en el equipo de atención ahora.</numerusform>
                <numerusform>%n personas en el equipo de atención ahora.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+2" />
            <source>%n no longer on the team.</source>
            <translation>
                <numerusform>%n ya no forma parte del equipo.</numerusform>
                <numerusform>%n ya no forman parte del equipo.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+55" />
            <source>Edit care-team entry</source>
            <translation>Editar persona del equipo de atención</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Add to the care team</source>
            <translation>Agregar al equipo de atención</translation>
        </message>
        <message>
            <location filename="../../ui/screens/groups.py" line="-104" />
            <source>Group session</source>
            <translation>Sesión de grupo</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+110" />
            <source>Topic</source>
            <translation>Tema</translation>
        </message>
        <message>
            <location line="-109" />
            <location line="+112" />
            <source>What the group did</source>
            <translation>Lo que hizo el grupo</translation>
        </message>
        <message>
            <location line="-111" />
            <source>For this participant</source>
            <translation>Para este participante</translation>
        </message>
        <message>
            <location line="+15" />
            <source>New group</source>
            <translation>Nuevo grupo</translation>
        </message>
        <message>
            <location line="+2" />
            <location filename="../../ui/screens/record_care_team.py" line="+4" />
            <source>&amp;Name:</source>
            <translation>&amp;Nombre:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Group name</source>
            <translation>Nombre del grupo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;In the group:</source>
            <translation>&amp;En el grupo:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Participants in the group (Space ticks)</source>
            <translation>Participantes en el grupo (Espacio marca)</translation>
        </message>
        <message>
            <location line="+36" />
            <location line="+1" />
            <source>{name} came</source>
            <translation>{name} asistió</translation>
        </message>
        <message>
            <location line="+2" />
            <source>{name}'s own part</source>
            <translation>Parte propia de {name}</translation>
        </message>
        <message>
            <location line="+1" />
            <source>What {name} shared, worked on, the next step</source>
            <translation>Lo que {name} compartió, en qué trabajó, el siguiente paso</translation>
        </message>
        <message>
            <location line="+24" />
            <source>Group session: {name}</source>
            <translation>Sesión de grupo: {name}</translation>
        </message>
        <message>
            <location line="+9" />
            <source>When the session started</source>
            <translation>Cuándo empezó la sesión</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Started:</source>
            <translation>&amp;Inicio:</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Where</source>
            <translation>Lugar</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Where:</source>
            <translation>&amp;Lugar:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Topic:</source>
            <translation>&amp;Tema:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>What the &amp;group did:</source>
            <translation>Lo que hizo el &amp;grupo:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Written once, copied into each note</source>
            <translation>Se escribe una vez y se copia en cada nota</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Attendance and each attendee's own part</source>
            <translation>Asistencia y la parte propia de cada asistente</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Attendance</source>
            <translation>Asistencia</translation>
        </message>
        <message>
            <location line="+13" />
            <source>&amp;Sign the notes now (else each is a draft to finish)</source>
            <translation>&amp;Firmar las notas ahora (si no, cada una queda como borrador por terminar)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sign the notes now</source>
            <translation>Firmar las notas ahora</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Notes to be written</source>
            <translation>Notas que se van a escribir</translation>
        </message>
        <message>
            <location line="+10" />
            <source>{came} came, {absent} did not: {came} notes will be written.</source>
            <translation>Asistieron {came}, faltaron {absent}: se escribirán {came} notas.</translation>
        </message>
        <message>
            <location line="+40" />
            <location line="+2" />
            <source>Groups</source>
            <translation>Grupos</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Groups:</source>
            <translation>&amp;Grupos:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>About the group</source>
            <translation>Sobre el grupo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;New group…</source>
            <translation>&amp;Nuevo grupo…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Edit roster…</source>
            <translation>&amp;Editar la lista…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>E&amp;nd group</source>
            <translation>&amp;Terminar el grupo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Run a session…</source>
            <translation>&amp;Hacer una sesión…</translation>
        </message>
        <message>
            <location line="+40" />
            <source>{name} (ended)</source>
            <translation>{name} (terminado)</translation>
        </message>
        <message>
            <location line="+20" />
            <source>No groups yet: New group… makes one with its roster.</source>
            <translation>Todavía no hay grupos: Nuevo grupo… crea uno con su lista de participantes.</translation>
        </message>
        <message>
            <location line="+3" />
            <source>In the group: {people}</source>
            <translation>En el grupo: {people}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/record_care_team.py" line="+2" />
            <source>&amp;Role:</source>
            <translation>&amp;Función:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Role in &amp;words:</source>
            <translation>Función en &amp;palabras:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Role in words</source>
            <translation>Función en palabras</translation>
        </message>
        <message>
            <location line="+2" />
            <source>e.g. pastor, coach, teacher</source>
            <translation>p. ej., pastor, entrenador, maestra</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Organization:</source>
            <translation>&amp;Organización:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>e.g. 555-201-0134 x12</source>
            <translation>p. ej., 555-201-0134 x12</translation>
        </message>
        <message>
            <location line="+1" />
            <source>E&amp;mail:</source>
            <translation>Correo &amp;electrónico:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Email</source>
            <translation>Correo electrónico</translation>
        </message>
        <message>
            <location line="+1" />
            <source>e.g. name@example.org</source>
            <translation>p. ej., nombre@example.org</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;How to reach them:</source>
            <translation>&amp;Cómo contactarle:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>best times, who to ask for, other ways</source>
            <translation>mejores horarios, por quién preguntar, otras formas</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Any consent naming them or their organization</source>
            <translation>Cualquier consentimiento que nombre a la persona o a su organización</translation>
        </message>
        <message>
            <location line="+2" />
            <source>{recipient} ({state})</source>
            <translation>{recipient} ({state})</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Consent:</source>
            <translation>Con&amp;sentimiento:</translation>
        </message>
        <message>
            <location line="+48" />
            <source>End care-team entry</source>
            <translation>Dar de baja del equipo de atención</translation>
        </message>
        <message>
            <location line="+3" />
            <source>{name} is no longer on the care team. The entry is kept.</source>
            <translation>{name} ya no forma parte del equipo de atención. El registro se conserva.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;From:</source>
            <translation>&amp;Desde:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Ended on</source>
            <translation>Dada de baja el</translation>
        </message>
        <message>
            <location filename="../../ui/screens/trips.py" line="+0" />
            <source>No</source>
            <translation>No</translation>
        </message>
        <message>
            <location line="+6" />
            <source>check readings</source>
            <translation>revise las lecturas</translation>
        </message>
        <message>
            <location filename="../../ui/demo_agency.py" line="+101" />
            <source>the demo agency could not be started ({error})</source>
            <translation>no se pudo iniciar la agencia de demostración ({error})</translation>
        </message>
        <message>
            <location line="+42" />
            <source>the demo agency was not started</source>
            <translation>la agencia de demostración no se inició</translation>
        </message>
        <message>
            <location line="+5" />
            <source>the demo agency did not start within {seconds} seconds</source>
            <translation>la agencia de demostración no arrancó en {seconds} segundos</translation>
        </message>
        <message>
            <location line="+7" />
            <source>the demo agency stopped (exit code {code}); see {log}</source>
            <translation>la agencia de demostración se detuvo (código de salida {code}); vea {log}</translation>
        </message>
        <message>
            <location filename="../../ui/models/directory.py" line="-39" />
            <source>Possibly outdated: never checked</source>
            <translation>Puede estar desactualizado: nunca se verificó</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Possibly outdated: last checked {date}</source>
            <translation>Puede estar desactualizado: verificado por última vez el {date}</translation>
        </message>
        <message>
            <location line="+11" />
            <source>Phone: {numbers}</source>
            <translation>Teléfono: {numbers}</translation>
        </message>
        <message>
            <location line="+2" />
            <source>{miles} miles away</source>
            <translation>a {miles} millas</translation>
        </message>
        <message>
            <location line="+2" />
            <location filename="../../ui/screens/directory.py" line="-337" />
            <source>Temporarily closed</source>
            <translation>Cerrado temporalmente</translation>
        </message>
        <message>
            <location filename="../../ui/screens/note_feedback.py" line="+0" />
            <source>Returned for changes</source>
            <translation>Devuelta para cambios</translation>
        </message>
        <message>
            <location line="+7" />
            <source>{decision} by {reviewer} on {when}</source>
            <translation>{decision} por {reviewer} el {when}</translation>
        </message>
        <message>
            <location line="+1" />
            <source>your supervisor</source>
            <translation>su supervisor</translation>
        </message>
        <message>
            <location line="+3" />
            <source>{head}: {comment}</source>
            <translation>{head}: {comment}</translation>
        </message>
        <message>
            <location line="+28" />
            <location line="+6" />
            <source>Supervisor feedback</source>
            <translation>Comentarios del supervisor</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Supervisor feedback summary</source>
            <translation>Resumen de los comentarios del supervisor</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Supervisor feedback on this note</source>
            <translation>Comentarios del supervisor sobre esta nota</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Resubmitting this note</source>
            <translation>Reenviar esta nota</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Resub&amp;mit for review</source>
            <translation>Reen&amp;viar para revisión</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Resubmit the note for review</source>
            <translation>Reenviar la nota para revisión</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Send the note and your new addenda back to your supervisor with the next sync</source>
            <translation>Enviar de nuevo la nota y sus anexos nuevos a su supervisor con la próxima sincronización</translation>
        </message>
        <message>
            <location line="+25" />
            <source>Reading your supervisor's feedback…</source>
            <translation>Leyendo los comentarios de su supervisor…</translation>
        </message>
        <message>
            <location line="+30" />
            <source>Decisions from your supervisor, oldest first: {count}</source>
            <translation>Decisiones de su supervisor, de la más antigua a la más reciente: {count}</translation>
        </message>
        <message>
            <location line="+5" />
            <source>No feedback from your supervisor yet.</source>
            <translation>Todavía no hay comentarios de su supervisor.</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Some feedback is damaged and cannot be read.</source>
            <translation>Algunos comentarios están dañados y no se pueden leer.</translation>
        </message>
        <message numerus="yes">
            <location line="+20" />
            <source>Returned for changes. %n addendum(s) written in answer to the comment: resubmit the note when you are done.</source>
            <translation>
                <numerusform>Devuelta para cambios. %n anexo responde al comentario: reenvíe la nota cuando termine.</numerusform>
                <numerusform>Devuelta para cambios. %n anexos responden al comentario: reenvíe la nota cuando termine.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+9" />
            <source>Returned for changes: add an addendum below that answers the comment, then resubmit the note.</source>
            <translation>Devuelta para cambios: agregue abajo un anexo que responda al comentario y luego reenvíe la nota.</translation>
        </message>
        <message>
            <location line="+17" />
            <source>Resubmitted: it goes back to your supervisor with the next sync.</source>
            <translation>Reenviada: vuelve a su supervisor con la próxima sincronización.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/referrals.py" line="-190" />
            <source>Referral made, not followed up yet</source>
            <translation>Derivación hecha, sin seguimiento todavía</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Connected with the service</source>
            <translation>Se conectó con el servicio</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Did not connect</source>
            <translation>No se conectó</translation>
        </message>
        <message>
            <location line="+28" />
            <source>Referrals</source>
            <translation>Derivaciones</translation>
        </message>
        <message>
            <location filename="../../ui/screens/directory.py" line="+178" />
            <location filename="../../ui/screens/referrals.py" line="+3" />
            <source>Service</source>
            <translation>Servicio</translation>
        </message>
        <message>
            <location filename="../../ui/screens/referrals.py" line="+0" />
            <source>Referred on</source>
            <translation>Fecha de derivación</translation>
        </message>
        <message>
            <location filename="../../ui/record_labels.py" line="+1" />
            <source>Work and school</source>
            <translation>Trabajo y estudios</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Health</source>
            <translation>Salud</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Family and social supports</source>
            <translation>Familia y apoyos sociales</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Recovery</source>
            <translation>Recuperación</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Not started</source>
            <translation>Sin empezar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>In progress</source>
            <translation>En curso</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Met</source>
            <translation>Cumplida</translation>
        </message>
        <message>
            <location line="+1" />
            <source>On hold</source>
            <translation>En pausa</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Set aside</source>
            <translation>Dejada de lado</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Verbal</source>
            <translation>Verbal</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Goals met</source>
            <translation>Metas cumplidas</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Chose to end services</source>
            <translation>Decidió terminar los servicios</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Lost contact</source>
            <translation>Se perdió el contacto</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Moved away</source>
            <translation>Se mudó</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Transferred to another program</source>
            <translation>Transferido a otro programa</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Hospital, treatment or jail stay</source>
            <translation>Estancia en hospital, tratamiento o cárcel</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Died</source>
            <translation>Falleció</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Attendance and dates of contact</source>
            <translation>Asistencia y fechas de contacto</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Recovery plan and progress</source>
            <translation>Plan de recuperación y progreso</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Substance use information (42 CFR Part 2)</source>
            <translation>Información sobre uso de sustancias (42 CFR Parte 2)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Mental health information</source>
            <translation>Información de salud mental</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Name, phone and address</source>
            <translation>Nombre, teléfono y dirección</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Outcome measures</source>
            <translation>Medidas de resultados</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Current</source>
            <translation>Vigente</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Not in effect yet</source>
            <translation>Aún no vigente</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Expired</source>
            <translation>Vencido</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Revoked</source>
            <translation>Revocado</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Incomplete</source>
            <translation>Incompleto</translation>
        </message>
        <message>
            <location line="+6" />
            <location filename="../../ui/screens/record.py" line="-192" />
            <source>Intake</source>
            <translation>Ingreso</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/referrals.py" line="+0" />
            <source>Follow-up</source>
            <translation>Seguimiento</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/record.py" line="+0" />
            <location filename="../../ui/screens/record_forms.py" line="-135" />
            <source>Discharge</source>
            <translation>Alta</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Stable housing</source>
            <translation>Vivienda estable</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Temporary housing</source>
            <translation>Vivienda temporal</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Homeless</source>
            <translation>Sin hogar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Hospital, treatment or jail</source>
            <translation>Hospital, tratamiento o cárcel</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+10" />
            <source>Not said</source>
            <translation>No lo dijo</translation>
        </message>
        <message>
            <location line="-4" />
            <source>Working full time</source>
            <translation>Trabaja tiempo completo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Working part time</source>
            <translation>Trabaja medio tiempo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Looking for work</source>
            <translation>Busca trabajo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Not in the labor force</source>
            <translation>Fuera de la fuerza laboral</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Therapist or counselor</source>
            <translation>Terapeuta o consejero</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Psychiatrist or prescriber</source>
            <translation>Psiquiatra o quien receta</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Doctor or nurse</source>
            <translation>Médico o enfermera</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Case manager</source>
            <translation>Administrador de casos</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Housing worker</source>
            <translation>Trabajador de vivienda</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Probation or parole officer</source>
            <translation>Oficial de libertad condicional</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Family</source>
            <translation>Familia</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Friend</source>
            <translation>Amistad</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sponsor</source>
            <translation>Padrino o madrina</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Current until {day}</source>
            <translation>Vigente hasta el {day}</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Not covered: the linked consent names someone else</source>
            <translation>Sin cobertura: el consentimiento vinculado nombra a otra persona</translation>
        </message>
        <message>
            <location line="+3" />
            <source>None on file</source>
            <translation>Ninguno en el expediente</translation>
        </message>
        <message>
            <location filename="../../ui/screens/referrals.py" line="+1" />
            <source>Referrals of this participant</source>
            <translation>Derivaciones de este participante</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Referra&amp;ls:</source>
            <translation>Derivacione&amp;s:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Refer this participant to a resource</source>
            <translation>Derivar a este participante a un recurso</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Mark &amp;connected</source>
            <translation>Marcar &amp;conectado</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Mark the referral connected</source>
            <translation>Marcar la derivación como conectada</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Mark &amp;not connected</source>
            <translation>Marcar &amp;no conectado</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Mark the referral not connected</source>
            <translation>Marcar la derivación como no conectada</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Referrals status</source>
            <translation>Estado de las derivaciones</translation>
        </message>
        <message>
            <location line="+68" />
            <source>No referrals yet.</source>
            <translation>Todavía no hay derivaciones.</translation>
        </message>
        <message numerus="yes">
            <location line="+2" />
            <source>%n referral(s).</source>
            <translation>
                <numerusform>%n derivación.</numerusform>
                <numerusform>%n derivaciones.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+2" />
            <source>%n damaged referral(s) could not be read.</source>
            <translation>
                <numerusform>No se pudo leer %n derivación dañada.</numerusform>
                <numerusform>No se pudieron leer %n derivaciones dañadas.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+40" />
            <source>Follow-up saved: {service} — {status}.</source>
            <translation>Seguimiento guardado: {service} — {status}.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/directory.py" line="-180" />
            <source>Last checked {date}</source>
            <translation>Verificado por última vez el {date}</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Alert: {text}</source>
            <translation>Aviso: {text}</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Phone: {number}</source>
            <translation>Teléfono: {number}</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Website: {value}</source>
            <translation>Sitio web: {value}</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Email: {value}</source>
            <translation>Correo electrónico: {value}</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Address: {address}</source>
            <translation>Dirección: {address}</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Getting there: {text}</source>
            <translation>Cómo llegar: {text}</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Hours: {hours}</source>
            <translation>Horario: {hours}</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Languages: {languages}</source>
            <translation>Idiomas: {languages}</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Who can use it: {value}</source>
            <translation>Quién puede usarlo: {value}</translation>
        </message>
        <message>
            <location line="+1" />
            <source>How to apply: {value}</source>
            <translation>Cómo solicitarlo: {value}</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Cost: {value}</source>
            <translation>Costo: {value}</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Interpreters: {value}</source>
            <translation>Intérpretes: {value}</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Categories: {names}</source>
            <translation>Categorías: {names}</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Serves: {areas}</source>
            <translation>Atiende a: {areas}</translation>
        </message>
        <message>
            <location line="+58" />
            <source>Filters</source>
            <translation>Filtros</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Category</source>
            <translation>Categoría</translation>
        </message>
        <message>
            <location line="+1" />
            <source>County</source>
            <translation>Condado</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Language</source>
            <translation>Idioma</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Open now</source>
            <translation>&amp;Abierto ahora</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Open now</source>
            <translation>Abierto ahora</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Near town</source>
            <translation>Cerca del pueblo</translation>
        </message>
        <message>
            <location line="+4" />
            <source> miles</source>
            <translation> millas</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Within this many miles</source>
            <translation>A esta cantidad de millas como máximo</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Cate&amp;gory:</source>
            <translation>Cate&amp;goría:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Co&amp;unty:</source>
            <translation>Cond&amp;ado:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Language:</source>
            <translation>&amp;Idioma:</translation>
        </message>
        <message>
            <location line="+7" />
            <source>&amp;Within:</source>
            <translation>A &amp;menos de:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>o&amp;f:</source>
            <translation>&amp;de:</translation>
        </message>
        <message>
            <location line="+13" />
            <source>Crisis lines — always here, whatever you search</source>
            <translation>Líneas de crisis: siempre aquí, busque lo que busque</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Crisis lines</source>
            <translation>Líneas de crisis</translation>
        </message>
        <message>
            <location line="+2" />
            <source>C&amp;risis lines:</source>
            <translation>Líneas de c&amp;risis:</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Search results</source>
            <translation>Resultados de la búsqueda</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Res&amp;ults:</source>
            <translation>Res&amp;ultados:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Search status</source>
            <translation>Estado de la búsqueda</translation>
        </message>
        <message>
            <location line="+21" />
            <source>Service details</source>
            <translation>Detalles del servicio</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Choose a service in the list to see all about it.</source>
            <translation>Elija un servicio de la lista para ver toda su información.</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Details:</source>
            <translation>De&amp;talles:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Suggest a &amp;correction…</source>
            <translation>Sugerir una &amp;corrección…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Suggest a correction to this entry</source>
            <translation>Sugerir una corrección a esta entrada</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Refer participant…</source>
            <translation>&amp;Derivar participante…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Refer a participant to this service</source>
            <translation>Derivar a un participante a este servicio</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Last action</source>
            <translation>Última acción</translation>
        </message>
        <message>
            <location line="+52" />
            <source>All categories</source>
            <translation>Todas las categorías</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Any county</source>
            <translation>Cualquier condado</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Any language</source>
            <translation>Cualquier idioma</translation>
        </message>
        <message>
            <location line="+1" />
            <source>(choose a town)</source>
            <translation>(elija un pueblo)</translation>
        </message>
        <message>
            <location line="+60" />
            <source>No services match. Try fewer or shorter words, or clear a filter.</source>
            <translation>Ningún servicio coincide. Pruebe con menos palabras o más cortas, o quite un filtro.</translation>
        </message>
        <message numerus="yes">
            <location line="+5" />
            <source>The first %n services found; type more words to narrow them.</source>
            <translation>
                <numerusform>El primer servicio encontrado; escriba más palabras para acotar.</numerusform>
                <numerusform>Los primeros %n servicios encontrados; escriba más palabras para acotarlos.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+9" />
            <source>Nothing matched “{typed}”, so “{instead}” was searched instead.</source>
            <translation>Nada coincidió con “{typed}”, así que se buscó “{instead}”.</translation>
        </message>
        <message>
            <location line="+82" />
            <source>Thank you: your suggestion goes to the agency with the next sync.</source>
            <translation>Gracias: su sugerencia llegará a la agencia con la próxima sincronización.</translation>
        </message>
        <message>
            <location line="+11" />
            <source>Referral to {service} recorded. Follow it up on the participant's page.</source>
            <translation>Derivación a {service} registrada. Haga el seguimiento en la página del participante.</translation>
        </message>
        <message>
            <location filename="../../ui/auto_sync.py" line="+187" />
            <source>this laptop is not connected to an agency</source>
            <translation>esta computadora no está conectada con una agencia</translation>
        </message>
        <message>
            <location line="+2" />
            <source>a sync is running</source>
            <translation>hay una sincronización en curso</translation>
        </message>
        <message>
            <location line="+2" />
            <source>there is no network</source>
            <translation>no hay red</translation>
        </message>
        <message>
            <location line="+2" />
            <source>the connection is metered</source>
            <translation>la conexión es medida</translation>
        </message>
        <message>
            <location filename="../../ui/link_roles.py" line="-17" />
            <source>The sync was stopped; what was not sent waits for the next one.</source>
            <translation>La sincronización se detuvo; lo que no se envió espera a la próxima.</translation>
        </message>
        <message>
            <location filename="../../ui/auto_sync.py" line="-86" />
            <source>Syncing…</source>
            <translation>Sincronizando…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Offline</source>
            <translation>Sin conexión</translation>
        </message>
        <message>
            <location line="+3" />
            <location line="+4" />
            <source>Online</source>
            <translation>En línea</translation>
        </message>
        <message>
            <location line="-2" />
            <source>Agency not reachable</source>
            <translation>No se puede contactar a la agencia</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Local network only</source>
            <translation>Solo red local</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Connection unknown</source>
            <translation>Conexión desconocida</translation>
        </message>
        <message>
            <location filename="../../ui/link_roles.py" line="+20" />
            <source>not connected to an agency</source>
            <translation>sin conexión con una agencia</translation>
        </message>
        <message>
            <location line="+2" />
            <source>last synced {when}</source>
            <translation>última sincronización {when}</translation>
        </message>
        <message>
            <location line="+2" />
            <source>never synced</source>
            <translation>nunca sincronizado</translation>
        </message>
        <message>
            <location line="+1" />
            <source>{connection} · {last} · {pending} waiting to sync · {held} held back</source>
            <translation>{connection} · {last} · {pending} por sincronizar · {held} retenidos</translation>
        </message>
        <message>
            <location line="+4" />
            <source>last sync failed</source>
            <translation>la última sincronización falló</translation>
        </message>
        <message>
            <location filename="../../ui/charts.py" line="+64" />
            <location line="+46" />
            <source>Nothing to show for this month.</source>
            <translation>Nada que mostrar para este mes.</translation>
        </message>
        <message numerus="yes">
            <location line="+37" />
            <source>%n more not drawn (see the table).</source>
            <translation>
                <numerusform>%n más sin dibujar (vea la tabla).</numerusform>
                <numerusform>%n más sin dibujar (vea la tabla).</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/link_roles.py" line="+25" />
            <source>Review keys opened: {keys}.</source>
            <translation>Claves de revisión abiertas: {keys}.</translation>
        </message>
        <message numerus="yes">
            <location line="+3" />
            <source>%n key(s) given to you could not be opened.</source>
            <translation>
                <numerusform>%n clave que se le dio no se pudo abrir.</numerusform>
                <numerusform>%n claves que se le dieron no se pudieron abrir.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+4" />
            <source>Your team's laptops: {devices}. Fetching notes…</source>
            <translation>Computadoras de su equipo: {devices}. Trayendo notas…</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Records received: {records} ({broken} cannot be read); review events: {events}.</source>
            <translation>Registros recibidos: {records} ({broken} no se pueden leer); eventos de revisión: {events}.</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Finished. {counts}</source>
            <translation>Terminado. {counts}</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Stopped. {counts} The next pull goes on from here.</source>
            <translation>Detenido. {counts} La próxima descarga sigue desde aquí.</translation>
        </message>
        <message>
            <location line="+1" />
            <source>More to come…</source>
            <translation>Faltan más…</translation>
        </message>
        <message>
            <location line="+36" />
            <source>The pull was stopped; the next one goes on from there.</source>
            <translation>La descarga se detuvo; la próxima sigue desde ahí.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>type your name as decisions are signed</source>
            <translation>escriba su nombre tal como se firman las decisiones</translation>
        </message>
        <message>
            <location line="+5" />
            <location filename="../../ui/screens/sync_details.py" line="+386" />
            <source>Reading the review status…</source>
            <translation>Leyendo el estado de la revisión…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Not connected to an agency yet: see Sync</source>
            <translation>Todavía no está conectado a una agencia: vea Sincronizar</translation>
        </message>
        <message>
            <location line="+2" />
            <source>pulling notes…</source>
            <translation>trayendo notas…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>last pulled {when}</source>
            <translation>última descarga el {when}</translation>
        </message>
        <message>
            <location line="+2" />
            <source>never pulled</source>
            <translation>nunca se descargó</translation>
        </message>
        <message numerus="yes">
            <location line="+2" />
            <source>{agency}, team {team} · {last} · %n note(s) waiting for a decision</source>
            <translation>
                <numerusform>{agency}, equipo {team} · {last} · %n nota esperando una decisión</numerusform>
                <numerusform>{agency}, equipo {team} · {last} · %n notas esperando una decisión</numerusform>
            </translation>
        </message>
        <message>
            <location line="+9" />
            <source>last pull failed</source>
            <translation>la última descarga falló</translation>
        </message>
        <message>
            <location filename="../../ui/roles.py" line="-5" />
            <source>PeerDesk supervisor — {profile}</source>
            <translation>PeerDesk supervisor — {profile}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/note_billing.py" line="+31" />
            <source>peer support</source>
            <translation>apoyo entre pares</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Billing code: {code}</source>
            <translation>Código de facturación: {code}</translation>
        </message>
        <message>
            <location line="+6" />
            <source>group</source>
            <translation>grupo</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+1" />
            <source>video</source>
            <translation>video</translation>
        </message>
        <message>
            <location line="+1" />
            <source>phone</source>
            <translation>teléfono</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Billable: 1 unit of {what} ({minutes} minutes)</source>
            <translation>Facturable: 1 unidad de {what} ({minutes} minutos)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Billable: {units} units of {what} ({minutes} minutes)</source>
            <translation>Facturable: {units} unidades de {what} ({minutes} minutos)</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Fewer units are billed: this person's day already reached the payer's limit of {cap} units.</source>
            <translation>Se facturan menos unidades: el día de esta persona ya llegó al límite del pagador de {cap} unidades.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>The day's minutes of this service are counted together.</source>
            <translation>Los minutos del día de este servicio se cuentan juntos.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Ends the next day, {date}.</source>
            <translation>Termina al día siguiente, {date}.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/record.py" line="-26" />
            <source>Goals</source>
            <translation>Metas</translation>
        </message>
        <message>
            <location filename="../../ui/line_chart.py" line="+65" />
            <location line="+59" />
            <source>No scores yet.</source>
            <translation>Aún no hay puntajes.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/note_goals.py" line="+46" />
            <source>Link a goal of the recovery plan</source>
            <translation>Vincular una meta del plan de recuperación</translation>
        </message>
        <message>
            <location line="+41" />
            <source>Link a plan goal…</source>
            <translation>Vincular una meta del plan…</translation>
        </message>
        <message>
            <location line="+0" />
            <source>No open plan goals</source>
            <translation>No hay metas abiertas en el plan</translation>
        </message>
        <message>
            <location filename="../../ui/screens/program_report.py" line="+48" />
            <source>Program report</source>
            <translation>Informe del programa</translation>
        </message>
        <message>
            <location line="+3" />
            <source>De-identified figures of the team's participants: no names, no ids, small groups hidden.</source>
            <translation>Cifras anonimizadas de los participantes del equipo: sin nombres, sin identificadores, grupos pequeños ocultos.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Smallest group shown</source>
            <translation>Grupo más pequeño que se muestra</translation>
        </message>
        <message>
            <location line="+2" />
            <source>At least {n}: a smaller group could pick out one person, so it is refused.</source>
            <translation>Al menos {n}: un grupo más pequeño podría identificar a una persona, por eso no se acepta.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Smallest &amp;group shown:</source>
            <translation>&amp;Grupo más pequeño que se muestra:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Section</source>
            <translation>Sección</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Measure</source>
            <translation>Medida</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Value</source>
            <translation>Valor</translation>
        </message>
        <message>
            <location line="+0" />
            <source>People</source>
            <translation>Personas</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Program figures</source>
            <translation>Cifras del programa</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Re&amp;fresh</source>
            <translation>Ac&amp;tualizar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Refresh the program report</source>
            <translation>Actualizar el informe del programa</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Export pro&amp;gram CSV…</source>
            <translation>Exportar CSV del pro&amp;grama…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Export the program report as CSV</source>
            <translation>Exportar el informe del programa como CSV</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Program report status</source>
            <translation>Estado del informe del programa</translation>
        </message>
        <message>
            <location line="+46" />
            <source>Written: {path}</source>
            <translation>Escrito: {path}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/note_coordination.py" line="+38" />
            <source>Coordinated with someone on the care team</source>
            <translation>Coordinado con alguien del equipo de atención</translation>
        </message>
        <message>
            <location line="+64" />
            <source>No one</source>
            <translation>Nadie</translation>
        </message>
        <message>
            <location line="+0" />
            <source>No one (the care team is empty)</source>
            <translation>Nadie (el equipo de atención está vacío)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>{name}, {role}</source>
            <translation>{name}, {role}</translation>
        </message>
        <message>
            <location filename="../../ui/screens/team.py" line="-95" />
            <source>Each peer's supervision hours, certification and CEU hours, from the records their laptops sent (as of the last pull). Wellbeing check-ins are private: you see only those a peer chose to share.</source>
            <translation>Las horas de supervisión, la certificación y las horas de formación continua de cada par, según los registros que enviaron sus computadoras (a la última descarga). Los registros de bienestar son privados: solo ve los que un par decidió compartir.</translation>
        </message>
        <message>
            <location line="+6" />
            <location filename="../../ui/screens/work_forms.py" line="+61" />
            <source>Requirements</source>
            <translation>Requisitos</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Change the requirements the team's hours are measured against</source>
            <translation>Cambiar los requisitos con los que se miden las horas del equipo</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Team status</source>
            <translation>Estado del equipo</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Supervision (your requirement)</source>
            <translation>Supervisión (su requisito)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>CEU (your requirement)</source>
            <translation>CEU (su requisito)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Last session</source>
            <translation>Última sesión</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Chosen peer</source>
            <translation>Par elegido</translation>
        </message>
        <message>
            <location line="+2" />
            <source>The chosen peer's records</source>
            <translation>Los registros del par elegido</translation>
        </message>
        <message>
            <location line="+2" />
            <source>The peer's supervision sessions</source>
            <translation>Las sesiones de supervisión del par</translation>
        </message>
        <message>
            <location line="+4" />
            <source>The peer's CEU entries</source>
            <translation>La formación continua del par</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Check-ins the peer shared</source>
            <translation>Registros que compartió el par</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Sessions</source>
            <translation>&amp;Sesiones</translation>
        </message>
        <message>
            <location line="+1" />
            <source>C&amp;EU</source>
            <translation>&amp;Formación</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Shared &amp;check-ins</source>
            <translation>&amp;Registros compartidos</translation>
        </message>
        <message>
            <location line="+46" />
            <source>No peers yet: pull from the agency first.</source>
            <translation>Todavía no hay pares: primero descargue de la agencia.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Measured against your requirements (set in Requirements…, kept on this laptop): {sup} h of supervision in {period}; {ceu} CEU hours in {renewal}.</source>
            <translation>Medido con sus requisitos (se fijan en Requisitos… y se guardan en esta computadora): {sup} h de supervisión en {period}; {ceu} horas de CEU en {renewal}.</translation>
        </message>
        <message numerus="yes">
            <location line="+6" />
            <source>a renewal period of %n month(s)</source>
            <translation>
                <numerusform>un período de renovación de %n mes</numerusform>
                <numerusform>un período de renovación de %n meses</numerusform>
            </translation>
        </message>
        <message>
            <location line="+6" />
            <source>(laptop revoked)</source>
            <translation>(computadora revocada)</translation>
        </message>
        <message>
            <location line="+27" />
            <source>{name}: {sessions}, {open}</source>
            <translation>{name}: {sessions}, {open}</translation>
        </message>
        <message numerus="yes">
            <location line="+2" />
            <source>%n supervision session(s)</source>
            <translation>
                <numerusform>%n sesión de supervisión</numerusform>
                <numerusform>%n sesiones de supervisión</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+1" />
            <source>%n follow-up(s) open</source>
            <translation>
                <numerusform>%n tarea pendiente</numerusform>
                <numerusform>%n tareas pendientes</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync_details.py" line="-383" />
            <location filename="../../ui/screens/work_forms.py" line="-232" />
            <source>Supervision session</source>
            <translation>Sesión de supervisión</translation>
        </message>
        <message>
            <location filename="../../ui/screens/work_forms.py" line="+1" />
            <source>Session date</source>
            <translation>Fecha de la sesión</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Length (minutes):</source>
            <translation>&amp;Duración (minutos):</translation>
        </message>
        <message>
            <location filename="../../ui/screens/groups.py" line="-153" />
            <location filename="../../ui/screens/work_forms.py" line="+3" />
            <source>Length in minutes</source>
            <translation>Duración en minutos</translation>
        </message>
        <message>
            <location filename="../../ui/screens/work_forms.py" line="+2" />
            <source>&amp;Kind:</source>
            <translation>&amp;Tipo:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Individual or group</source>
            <translation>Individual o grupal</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Supervisor:</source>
            <translation>&amp;Supervisor(a):</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Supervisor's name</source>
            <translation>Nombre del supervisor o de la supervisora</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Topics (one a line):</source>
            <translation>T&amp;emas (uno por línea):</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Follow-ups agreed (one a line):</source>
            <translation>Tareas a&amp;cordadas (una por línea):</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Follow-ups agreed</source>
            <translation>Tareas acordadas</translation>
        </message>
        <message>
            <location line="+35" />
            <source>This session has no follow-ups.</source>
            <translation>Esta sesión no tiene tareas acordadas.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Done: {what}</source>
            <translation>Hecho: {what}</translation>
        </message>
        <message>
            <location line="+25" />
            <source>State that certified you</source>
            <translation>Estado que le otorgó la certificación</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Number:</source>
            <translation>&amp;Número:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Certification number</source>
            <translation>Número de certificación</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Issued:</source>
            <translation>&amp;Emitida:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Issue date</source>
            <translation>Fecha de emisión</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Expires:</source>
            <translation>&amp;Vence:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Expiry date</source>
            <translation>Fecha de vencimiento</translation>
        </message>
        <message>
            <location line="+42" />
            <source>Continuing education (CEU)</source>
            <translation>Formación continua (CEU)</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Training date</source>
            <translation>Fecha de la capacitación</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Title:</source>
            <translation>&amp;Título:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Training title</source>
            <translation>Título de la capacitación</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Provider:</source>
            <translation>&amp;Proveedor:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Training provider</source>
            <translation>Proveedor de la capacitación</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Hours:</source>
            <translation>&amp;Horas:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>CEU hours</source>
            <translation>Horas de formación continua</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Evidence:</source>
            <translation>&amp;Comprobante:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Evidence reference</source>
            <translation>Referencia del comprobante</translation>
        </message>
        <message>
            <location line="+1" />
            <source>certificate number, link, where the paper is kept</source>
            <translation>número de certificado, enlace, dónde se guarda el papel</translation>
        </message>
        <message>
            <location line="+20" />
            <source>Private: this check-in stays on this laptop, encrypted. It is never sent to your agency or your supervisor unless you choose to share it (now or later, one check-in at a time).</source>
            <translation>Privado: este registro se queda en esta computadora, cifrado. Nunca se envía a su agencia ni a su supervisor(a), salvo que usted decida compartirlo (ahora o más adelante, un registro a la vez).</translation>
        </message>
        <message>
            <location line="+10" />
            <source>My wellbeing check-in (private)</source>
            <translation>Mi registro de bienestar (privado)</translation>
        </message>
        <message>
            <location line="+5" />
            <source>&amp;Energy (1 low … 5 high):</source>
            <translation>&amp;Energía (1 baja … 5 alta):</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Stress (1 low … 5 high):</source>
            <translation>E&amp;strés (1 bajo … 5 alto):</translation>
        </message>
        <message>
            <location line="+2" />
            <source>S&amp;upport I feel (1 low … 5 high):</source>
            <translation>A&amp;poyo que siento (1 bajo … 5 alto):</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Support I feel</source>
            <translation>Apoyo que siento</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Notes:</source>
            <translation>&amp;Notas:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Notes to myself</source>
            <translation>Notas para mí</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+1" />
            <source>Share this check-in with my supervisor</source>
            <translation>Compartir este registro con mi supervisor(a)</translation>
        </message>
        <message>
            <location line="+33" />
            <source>Share this check-in with your supervisor? It will be sent, encrypted, at the next sync and cannot be taken back. Your other check-ins stay private.</source>
            <translation>¿Compartir este registro con su supervisor? Se enviará cifrado en la próxima sincronización y no se podrá retirar. Sus demás registros siguen siendo privados.</translation>
        </message>
        <message>
            <location line="+23" />
            <source>Set your state's requirements. PeerDesk's defaults (2 hours of supervision a month, 20 CEU hours per 24-month renewal) are placeholders.</source>
            <translation>Indique los requisitos de su estado. Los valores predeterminados de PeerDesk (2 horas de supervisión al mes, 20 horas de formación continua por renovación de 24 meses) son provisionales.</translation>
        </message>
        <message>
            <location line="+7" />
            <source>&amp;Supervision hours:</source>
            <translation>Horas de &amp;supervisión:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Supervision hours required</source>
            <translation>Horas de supervisión requeridas</translation>
        </message>
        <message>
            <location line="+3" />
            <source>… every (&amp;months):</source>
            <translation>… cada (&amp;meses):</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Supervision period in months</source>
            <translation>Período de supervisión en meses</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;CEU hours:</source>
            <translation>Horas de &amp;formación continua:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>CEU hours required</source>
            <translation>Horas de formación continua requeridas</translation>
        </message>
        <message>
            <location line="+3" />
            <source>… per renewal of (m&amp;onths):</source>
            <translation>… por renovación de (m&amp;eses):</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Renewal period in months</source>
            <translation>Período de renovación en meses</translation>
        </message>
        <message>
            <location filename="../../ui/workforce_labels.py" line="+0" />
            <source>Individual</source>
            <translation>Individual</translation>
        </message>
        <message>
            <location line="+9" />
            <source>{done} of {required} h</source>
            <translation>{done} de {required} h</translation>
        </message>
        <message>
            <location line="+2" />
            <source>{done} — on track</source>
            <translation>{done}: al día</translation>
        </message>
        <message>
            <location line="+1" />
            <source>{done} — short {short} h</source>
            <translation>{done}: faltan {short} h</translation>
        </message>
        <message>
            <location line="+4" />
            <source>{start} to {end}</source>
            <translation>{start} al {end}</translation>
        </message>
        <message>
            <location line="+8" />
            <source>No certification recorded</source>
            <translation>No hay ninguna certificación registrada</translation>
        </message>
        <message numerus="yes">
            <location line="+3" />
            <source>Expired {date} (%n day(s) ago)</source>
            <translation>
                <numerusform>Venció el {date} (hace %n día)</numerusform>
                <numerusform>Venció el {date} (hace %n días)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+2" />
            <source>Renew now: expires {date} (in %n day(s))</source>
            <translation>
                <numerusform>Renueve ya: vence el {date} (en %n día)</numerusform>
                <numerusform>Renueve ya: vence el {date} (en %n días)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+4" />
            <source>Renew soon: expires {date} (in %n day(s))</source>
            <translation>
                <numerusform>Renueve pronto: vence el {date} (en %n día)</numerusform>
                <numerusform>Renueve pronto: vence el {date} (en %n días)</numerusform>
            </translation>
        </message>
        <message>
            <location line="+3" />
            <source>Current until {date}</source>
            <translation>Vigente hasta el {date}</translation>
        </message>
        <message>
            <location line="+7" />
            <source>No session recorded</source>
            <translation>Ninguna sesión registrada</translation>
        </message>
        <message>
            <location line="+2" />
            <source>{date} — none since {start}</source>
            <translation>{date} — ninguna desde el {start}</translation>
        </message>
        <message>
            <location line="+9" />
            <source>✓ done: {text}</source>
            <translation>✓ hecha: {text}</translation>
        </message>
        <message>
            <location line="+1" />
            <source>○ open: {text}</source>
            <translation>○ pendiente: {text}</translation>
        </message>
        <message>
            <location line="+5" />
            <source>OK</source>
            <translation>Bien</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Attention</source>
            <translation>Atención</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Urgent</source>
            <translation>Urgente</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Missing</source>
            <translation>Falta</translation>
        </message>
        <message>
            <location filename="../../ui/day_links.py" line="+75" />
            <source>A sync is running already.</source>
            <translation>Ya hay una sincronización en curso.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Connect to the agency first (the Sync section).</source>
            <translation>Primero conéctese a la agencia (sección Sincronizar).</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Sync started.</source>
            <translation>Sincronización iniciada.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Sync cannot start now; try again in a moment.</source>
            <translation>La sincronización no puede empezar ahora; inténtelo de nuevo en un momento.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/today_tasks.py" line="+56" />
            <source>Write a &amp;note</source>
            <translation>Escribir una &amp;nota</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Start a new note (Alt+N)</source>
            <translation>Empezar una nota nueva (Alt+N)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Log a r&amp;ide</source>
            <translation>Registrar un &amp;traslado</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Log the selected ride as a trip, or a trip of your own</source>
            <translation>Registrar el traslado elegido como viaje, o un viaje propio</translation>
        </message>
        <message>
            <location line="+2" />
            <source>S&amp;ync now</source>
            <translation>&amp;Sincronizar ahora</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Send your work to the agency now</source>
            <translation>Enviar su trabajo a la agencia ahora</translation>
        </message>
        <message>
            <location line="+18" />
            <source>Coming up</source>
            <translation>Próximamente</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Appointments and rides coming up</source>
            <translation>Próximas citas y traslados</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Outcome measures due</source>
            <translation>Medidas de resultados pendientes</translation>
        </message>
        <message>
            <location line="+5" />
            <source>&amp;Appointments and rides (today and the next 24 hours):</source>
            <translation>&amp;Citas y traslados (hoy y las próximas 24 horas):</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Outcome &amp;measures due:</source>
            <translation>Medidas de &amp;resultados pendientes:</translation>
        </message>
        <message>
            <location line="+18" />
            <source>pick-up: {place}</source>
            <translation>recogida: {place}</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Nothing scheduled for today or the next 24 hours.</source>
            <translation>Nada programado para hoy ni para las próximas 24 horas.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>{name}: outcome check-in due {day}</source>
            <translation>{name}: evaluación de resultados pendiente el {day}</translation>
        </message>
        <message>
            <location line="+4" />
            <source>No outcome measures due.</source>
            <translation>No hay medidas de resultados pendientes.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/week.py" line="-373" />
            <source>Mon</source>
            <translation>lun</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Tue</source>
            <translation>mar</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Wed</source>
            <translation>mié</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Thu</source>
            <translation>jue</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Fri</source>
            <translation>vie</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Sat</source>
            <translation>sáb</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Sun</source>
            <translation>dom</translation>
        </message>
        <message>
            <location line="+6" />
            <source>{time} {name}: {what}</source>
            <translation>{time} {name}: {what}</translation>
        </message>
        <message>
            <location line="+4" />
            <source>ride logged</source>
            <translation>traslado registrado</translation>
        </message>
        <message>
            <location line="+0" />
            <source>ride planned</source>
            <translation>traslado planeado</translation>
        </message>
        <message>
            <location line="+2" />
            <source>CANCELLED</source>
            <translation>CANCELADA</translation>
        </message>
        <message>
            <location line="+2" />
            <source>done</source>
            <translation>hecha</translation>
        </message>
        <message>
            <location line="+31" />
            <source>◀ &amp;Previous week</source>
            <translation>◀ Semana &amp;anterior</translation>
        </message>
        <message>
            <location line="+1" />
            <source>T&amp;his week</source>
            <translation>Es&amp;ta semana</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Ne&amp;xt week ▶</source>
            <translation>Semana &amp;siguiente ▶</translation>
        </message>
        <message>
            <location line="+32" />
            <source>&amp;New appointment…</source>
            <translation>&amp;Nueva cita…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Change…</source>
            <translation>&amp;Cambiar…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Mark &amp;done</source>
            <translation>Marcar como &amp;hecha</translation>
        </message>
        <message>
            <location line="+1" />
            <source>C&amp;ancel appointment</source>
            <translation>Cance&amp;lar la cita</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Ride done…</source>
            <translation>T&amp;raslado hecho…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Log the ride: it becomes the trip, nothing typed again</source>
            <translation>Registrar el traslado: se convierte en el viaje, sin volver a escribir nada</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Export &amp;week (.ics)…</source>
            <translation>Exportar la se&amp;mana (.ics)…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Export appoin&amp;tment (.ics)…</source>
            <translation>E&amp;xportar la cita (.ics)…</translation>
        </message>
        <message>
            <location line="+17" />
            <source>Calendar files (.ics) hold only the participant's initials and the times: no names, places or what the appointment is for.</source>
            <translation>Los archivos de calendario (.ics) solo llevan las iniciales del participante y las horas: ni nombres, ni lugares, ni el motivo de la cita.</translation>
        </message>
        <message>
            <location line="+34" />
            <source>Week of {date}</source>
            <translation>Semana del {date}</translation>
        </message>
        <message>
            <location line="+12" />
            <source>today</source>
            <translation>hoy</translation>
        </message>
        <message>
            <location line="+123" />
            <source>Appointment scheduled.</source>
            <translation>Cita programada.</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Appointment changed.</source>
            <translation>Cita cambiada.</translation>
        </message>
        <message>
            <location line="+23" />
            <source>Marked done.</source>
            <translation>Marcada como hecha.</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Cancelled.</source>
            <translation>Cancelada.</translation>
        </message>
        <message>
            <location line="+25" />
            <source>Ride logged in the trip log.</source>
            <translation>Traslado anotado en el registro de viajes.</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Save the calendar file</source>
            <translation>Guardar el archivo de calendario</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Calendar files (*.ics)</source>
            <translation>Archivos de calendario (*.ics)</translation>
        </message>
        <message numerus="yes">
            <location line="+25" />
            <source>%n appointment(s) written to {path}.</source>
            <translation>
                <numerusform>%n cita escrita en {path}.</numerusform>
                <numerusform>%n citas escritas en {path}.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/view.py" line="+73" />
            <source>&amp;Smaller text</source>
            <translation>Texto más &amp;pequeño</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Default text size</source>
            <translation>Tamaño de texto pre&amp;determinado</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;Larger text</source>
            <translation>Texto más &amp;grande</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Lar&amp;gest text</source>
            <translation>Texto &amp;muy grande</translation>
        </message>
        <message>
            <location line="+56" />
            <source>&amp;View</source>
            <translation>&amp;Ver</translation>
        </message>
        <message>
            <location line="+19" />
            <source>Larger</source>
            <translation>Más grande</translation>
        </message>
        <message>
            <location line="+0" />
            <source>Smaller</source>
            <translation>Más pequeño</translation>
        </message>
        <message>
            <location filename="../../ui/link_controller.py" line="+284" />
            <source>choose the provisioning file IT gave you</source>
            <translation>elija el archivo de configuración que le dio el equipo de TI</translation>
        </message>
        <message>
            <location filename="../../ui/reminders.py" line="+51" />
            <source>Appointment with {who} at {time}: the ride to it is still to be driven.</source>
            <translation>Cita con {who} a las {time}: el traslado todavía está por hacerse.</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Appointment with {who} at {time}.</source>
            <translation>Cita con {who} a las {time}.</translation>
        </message>
        <message numerus="yes">
            <location line="+67" />
            <source>PeerDesk reminder (%n minute(s) ahead)</source>
            <translation>
                <numerusform>Recordatorio de PeerDesk (en %n minuto)</numerusform>
                <numerusform>Recordatorio de PeerDesk (en %n minutos)</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/laptop.py" line="+48" />
            <source>This laptop belongs to {agency}: its IT set it up.</source>
            <translation>Esta computadora pertenece a {agency}: la configuró su personal de TI.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>This laptop is not connected to an agency yet. That is fine: you can work without one, and connect it later on the Sync screen with the provisioning file and code from your agency's IT.</source>
            <translation>Esta computadora todavía no está conectada a una agencia. No pasa nada: puede trabajar sin ella y conectarla más tarde en la pantalla Sincronizar con el archivo de configuración y el código que le dé el personal de TI de su agencia.</translation>
        </message>
        <message numerus="yes">
            <location line="+17" />
            <source>Important: after %n wrong passphrase(s) in a row, this profile and its notes are erased from this laptop for good.</source>
            <translation>
                <numerusform>Importante: después de %n frase de contraseña incorrecta seguida, este perfil y sus notas se borran de esta computadora para siempre.</numerusform>
                <numerusform>Importante: después de %n frases de contraseña incorrectas seguidas, este perfil y sus notas se borran de esta computadora para siempre.</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/recovery.py" line="-38" />
            <source>Set a new passphrase with a recovery code</source>
            <translation>Nueva frase de contraseña con un código de recuperación</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Forgot the passphrase of “{profile}”? Call your agency's IT: they can read you a one-time recovery code for this laptop. Type it here with a new passphrase; your notes stay as they are.</source>
            <translation>¿Olvidó la frase de contraseña de «{profile}»? Llame al personal de TI de su agencia: pueden leerle un código de recuperación de un solo uso para esta computadora. Escríbalo aquí con una nueva frase de contraseña; sus notas quedan como están.</translation>
        </message>
        <message>
            <location line="+6" />
            <source>About recovery</source>
            <translation>Acerca de la recuperación</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Recovery code</source>
            <translation>Código de recuperación</translation>
        </message>
        <message>
            <location line="+1" />
            <source>For example 7K3M-Q9XD-…</source>
            <translation>Por ejemplo 7K3M-Q9XD-…</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Recovery code check</source>
            <translation>Comprobación del código de recuperación</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Recovery problem</source>
            <translation>Problema con la recuperación</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Set passphrase and &amp;unlock</source>
            <translation>Poner la frase y &amp;desbloquear</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Set the new passphrase and unlock</source>
            <translation>Poner la nueva frase de contraseña y desbloquear</translation>
        </message>
        <message>
            <location line="+13" />
            <source>Recovery &amp;code:</source>
            <translation>&amp;Código de recuperación:</translation>
        </message>
        <message>
            <location line="+1" />
            <source>&amp;New passphrase:</source>
            <translation>&amp;Nueva frase de contraseña:</translation>
        </message>
        <message>
            <location line="+0" />
            <source>C&amp;onfirm new passphrase:</source>
            <translation>Con&amp;firme la nueva frase:</translation>
        </message>
        <message numerus="yes">
            <location line="+30" />
            <source>%n letters and digits, as IT reads them to you; dashes and spaces do not matter.</source>
            <translation>
                <numerusform>%n letra o cifra, tal como se la lee el personal de TI; los guiones y espacios no importan.</numerusform>
                <numerusform>%n letras y cifras, tal como se las lee el personal de TI; los guiones y espacios no importan.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+5" />
            <source>%n of {total} letters and digits typed.</source>
            <translation>
                <numerusform>%n de {total} letras y cifras escrita.</numerusform>
                <numerusform>%n de {total} letras y cifras escritas.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location line="+43" />
            <source>This is not a whole recovery code: it has {total} letters and digits, and %n were typed. Check it with IT.</source>
            <translation>
                <numerusform>Este no es un código de recuperación completo: tiene {total} letras y cifras, y se escribió %n. Compruébelo con el personal de TI.</numerusform>
                <numerusform>Este no es un código de recuperación completo: tiene {total} letras y cifras, y se escribieron %n. Compruébelo con el personal de TI.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+6" />
            <source>The recovery code has a typo: one of its letters or digits is wrong (its last character checks the others). Read it back to IT character by character.</source>
            <translation>El código de recuperación tiene un error: una de sus letras o cifras no es correcta (su último carácter comprueba los demás). Léaselo al personal de TI carácter por carácter.</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Checking the code and setting the new passphrase…</source>
            <translation>Comprobando el código y poniendo la nueva frase de contraseña…</translation>
        </message>
        <message>
            <location line="+19" />
            <source>This recovery code does not open this profile: it was made for another laptop or profile, or it was used already. Ask IT for a new code. (A profile that was never connected to the agency has no recovery code.)</source>
            <translation>Este código de recuperación no abre este perfil: se hizo para otra computadora u otro perfil, o ya se usó. Pida un código nuevo al personal de TI. (Un perfil que nunca se conectó a la agencia no tiene código de recuperación).</translation>
        </message>
        <message>
            <location line="+6" />
            <source>The new passphrase was refused:</source>
            <translation>La nueva frase de contraseña fue rechazada:</translation>
        </message>
        <message>
            <location line="+5" />
            <source>This profile was erased (after too many wrong passphrases, or by your agency). A recovery code cannot bring it back. Please contact your agency's IT support.</source>
            <translation>Este perfil se borró (después de demasiadas frases de contraseña incorrectas, o por orden de su agencia). Un código de recuperación no puede recuperarlo. Comuníquese con el soporte de TI de su agencia.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>The passphrase was not changed.</source>
            <translation>La frase de contraseña no se cambió.</translation>
        </message>
        <message numerus="yes">
            <location line="+12" />
            <source>Too many recovery codes that did not open this profile: you can try again in %n second(s). Nothing was changed.</source>
            <translation>
                <numerusform>Demasiados códigos de recuperación que no abrieron este perfil: puede intentarlo otra vez en %n segundo. No se cambió nada.</numerusform>
                <numerusform>Demasiados códigos de recuperación que no abrieron este perfil: puede intentarlo otra vez en %n segundos. No se cambió nada.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+14" />
            <source>You can try a recovery code again now.</source>
            <translation>Ya puede volver a intentar un código de recuperación.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review_reader.py" line="190" />
            <source>Coordinated with</source>
            <translation>Coordinado con</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review_reader.py" line="194" />
            <source>No addenda.</source>
            <translation>Sin anexos.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review_reader.py" line="205" />
            <source>Trips of this contact</source>
            <translation>Viajes de este contacto</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review_reader.py" line="207" />
            <source>No trips with this participant on that day.</source>
            <translation>No hay viajes con esta persona participante ese día.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review_reader.py" line="223" />
            <source>Review history</source>
            <translation>Historial de revisión</translation>
        </message>
        <message>
            <location filename="../../ui/screens/review_reader.py" line="225" />
            <source>No review events yet.</source>
            <translation>Todavía no hay eventos de revisión.</translation>
        </message>
    </context>
    <context>
        <name>errors</name>
        <message>
            <location filename="../../ui/errors.py" line="+102" />
            <source>Something unexpected went wrong; please try again, and tell your supervisor if it keeps happening.</source>
            <translation>Algo salió mal de forma inesperada; inténtelo otra vez y avísele a su supervisor si sigue pasando.</translation>
        </message>
        <message>
            <location line="+37" />
            <source>PeerDesk could not finish this action; please try again.</source>
            <translation>PeerDesk no pudo terminar esta acción; inténtelo otra vez.</translation>
        </message>
        <message>
            <location line="+10" />
            <source>There is a problem with the passphrase protection of this profile; please tell your supervisor.</source>
            <translation>Hay un problema con la protección por frase de contraseña de este perfil; avísele a su supervisor.</translation>
        </message>
        <message>
            <location line="+10" />
            <source>That passphrase is not right; please try again.</source>
            <translation>Esa frase de contraseña no es correcta; inténtelo otra vez.</translation>
        </message>
        <message>
            <location line="+25" />
            <source>This profile was erased for safety and its records can no longer be opened; please tell your supervisor.</source>
            <translation>Este perfil se borró por seguridad y sus registros ya no se pueden abrir; avísele a su supervisor.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>PeerDesk is locked; please unlock it with your passphrase to go on.</source>
            <translation>PeerDesk está bloqueado; desbloquéelo con su frase de contraseña para continuar.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Please choose a longer passphrase that is harder to guess.</source>
            <translation>Elija una frase de contraseña más larga y más difícil de adivinar.</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Please choose another passphrase: {problems}.</source>
            <translation>Elija otra frase de contraseña: {problems}.</translation>
        </message>
        <message>
            <location line="+10" />
            <source>PeerDesk could not read or save the records of this profile.</source>
            <translation>PeerDesk no pudo leer ni guardar los registros de este perfil.</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Part of this record is damaged and cannot be read, but your other records are not affected; please tell your supervisor.</source>
            <translation>Una parte de este registro está dañada y no se puede leer, pero sus otros registros no están afectados; avísele a su supervisor.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>This profile was saved by a newer version of PeerDesk; please update PeerDesk to open it (nothing in the profile was changed).</source>
            <translation>Este perfil se guardó con una versión más nueva de PeerDesk; actualice PeerDesk para abrirlo (no se cambió nada en el perfil).</translation>
        </message>
        <message>
            <location line="+11" />
            <source>PeerDesk cannot read or save your records right now; nothing was half-saved.</source>
            <translation>PeerDesk no puede leer ni guardar sus registros en este momento; nada quedó guardado a medias.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>The activity log of this profile was changed or damaged from entry {seq} on; please tell your supervisor.</source>
            <translation>El registro de actividad de este perfil fue cambiado o dañado a partir de la entrada {seq}; avísele a su supervisor.</translation>
        </message>
        <message>
            <location line="+10" />
            <source>This participant</source>
            <translation>Este participante</translation>
        </message>
        <message>
            <location line="+1" />
            <source>This note</source>
            <translation>Esta nota</translation>
        </message>
        <message>
            <location line="+1" />
            <source>This trip</source>
            <translation>Este viaje</translation>
        </message>
        <message>
            <location line="+2" />
            <source>This record</source>
            <translation>Este registro</translation>
        </message>
        <message>
            <location line="+1" />
            <source>{what} could not be found; it may have been deleted.</source>
            <translation>{what} no se encontró; es posible que se haya borrado.</translation>
        </message>
        <message>
            <location line="+8" />
            <source>The file {path} was not written ({reason}); no file was left behind.</source>
            <translation>El archivo {path} no se escribió ({reason}); no quedó ningún archivo.</translation>
        </message>
        <message>
            <location line="+10" />
            <source>This profile cannot be used right now.</source>
            <translation>Este perfil no se puede usar en este momento.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>A profile with this name already exists; please choose another name.</source>
            <translation>Ya existe un perfil con este nombre; elija otro nombre.</translation>
        </message>
        <message>
            <location line="+7" />
            <source>There is no profile with this name on this computer.</source>
            <translation>No hay ningún perfil con este nombre en esta computadora.</translation>
        </message>
        <message>
            <location line="+8" />
            <source>Only a supervisor profile can do this; this is a peer profile.</source>
            <translation>Solo un perfil de supervisor puede hacer esto; este es un perfil de especialista.</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Only a peer profile can do this; this is a supervisor profile.</source>
            <translation>Solo un perfil de especialista puede hacer esto; este es un perfil de supervisor.</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Please check what you entered.</source>
            <translation>Revise lo que escribió.</translation>
        </message>
        <message>
            <location line="+8" />
            <source>edit</source>
            <translation>editar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>discard</source>
            <translation>descartar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>sign</source>
            <translation>firmar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>submit</source>
            <translation>enviar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>approve</source>
            <translation>aprobar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>return</source>
            <translation>devolver</translation>
        </message>
        <message>
            <location line="+1" />
            <source>resubmit</source>
            <translation>volver a enviar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>add an addendum to</source>
            <translation>añadir un anexo a</translation>
        </message>
        <message>
            <location line="+3" />
            <source>a draft</source>
            <translation>borrador</translation>
        </message>
        <message>
            <location line="+1" />
            <source>signed</source>
            <translation>firmada</translation>
        </message>
        <message>
            <location line="+1" />
            <source>submitted</source>
            <translation>enviada</translation>
        </message>
        <message>
            <location line="+1" />
            <source>approved</source>
            <translation>aprobada</translation>
        </message>
        <message>
            <location line="+1" />
            <source>returned</source>
            <translation>devuelta</translation>
        </message>
        <message>
            <location line="+4" />
            <source>This cannot be done to the note in the state it is in now.</source>
            <translation>Esto no se puede hacer con la nota en el estado en que está ahora.</translation>
        </message>
        <message>
            <location line="+3" />
            <source>You cannot {action} a note that is {state}.</source>
            <translation>No se puede {action} una nota que está en estado {state}.</translation>
        </message>
        <message>
            <location line="+11" />
            <source>field {name}</source>
            <translation>campo {name}</translation>
        </message>
        <message>
            <location line="+2" />
            <source>The directory data was not used ({where}): {problem}; nothing was changed.</source>
            <translation>Los datos del directorio no se usaron ({where}): {problem}; no se cambió nada.</translation>
        </message>
        <message>
            <location line="+8" />
            <source>the consent on file has expired</source>
            <translation>el consentimiento registrado ha vencido</translation>
        </message>
        <message>
            <location line="+1" />
            <source>the participant revoked the consent</source>
            <translation>el participante revocó el consentimiento</translation>
        </message>
        <message>
            <location line="+1" />
            <source>the consent is not in effect yet</source>
            <translation>el consentimiento aún no está vigente</translation>
        </message>
        <message>
            <location line="+1" />
            <source>there is no consent on file</source>
            <translation>no hay consentimiento registrado</translation>
        </message>
        <message>
            <location line="+1" />
            <source>This referral would share the person's information with {recipient}, but {why}: record a signed consent first, or refer without sharing.</source>
            <translation>Esta derivación compartiría la información de la persona con {recipient}, pero {why}: registre primero un consentimiento firmado, o derive sin compartir.</translation>
        </message>
        <message>
            <location line="+11" />
            <source>PeerDesk could not use one of its settings files.</source>
            <translation>PeerDesk no pudo usar uno de sus archivos de configuración.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>PeerDesk could not use the settings file {path}: {reason}.</source>
            <translation>PeerDesk no pudo usar el archivo de configuración {path}: {reason}.</translation>
        </message>
        <message>
            <location line="+3" />
            <source>PeerDesk could not use a settings file: {reason}.</source>
            <translation>PeerDesk no pudo usar un archivo de configuración: {reason}.</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Some data failed its security check and was not used.</source>
            <translation>Algunos datos no pasaron la revisión de seguridad y no se usaron.</translation>
        </message>
        <message>
            <location line="+7" />
            <source>A message claiming to come from the agency was not signed by it, so it was ignored.</source>
            <translation>Un mensaje que decía venir de la agencia no estaba firmado por ella, así que se ignoró.</translation>
        </message>
        <message>
            <location line="+8" />
            <source>An encrypted item could not be opened with this key or passphrase.</source>
            <translation>Un elemento cifrado no se pudo abrir con esta clave o frase de contraseña.</translation>
        </message>
        <message>
            <location line="+7" />
            <source>The agency sent something PeerDesk does not understand; nothing was changed.</source>
            <translation>La agencia envió algo que PeerDesk no entiende; no se cambió nada.</translation>
        </message>
        <message>
            <location line="+10" />
            <source>Sync did not finish; your work is safe and will be sent next time.</source>
            <translation>La sincronización no terminó; su trabajo está a salvo y se enviará la próxima vez.</translation>
        </message>
        <message>
            <location filename="../../ui/network_words.py" line="+55" />
            <source>The agency's security certificate could not be checked, so nothing was sent; check that the laptop's date and time are right; if they are, tell IT.</source>
            <translation>No se pudo comprobar el certificado de seguridad de la agencia, así que no se envió nada; compruebe que la fecha y la hora de la computadora sean correctas; si lo son, avise a TI.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>A network sign-in page is in the way (hotel, library, café Wi-Fi): open a web browser, accept the network's terms, then sync again.</source>
            <translation>Una página de acceso de la red se interpone (wifi de hotel, biblioteca o café): abra un navegador, acepte las condiciones de la red y vuelva a sincronizar.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>The agency's address could not be found; check that the laptop is on the internet (Wi-Fi connected); if it is, tell IT.</source>
            <translation>No se encontró la dirección de la agencia; compruebe que la computadora tenga internet (wifi conectado); si lo tiene, avise a TI.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>The agency's server did not accept the connection: it may be down or restarting; your work is safe here, PeerDesk tries again (if it lasts, tell IT).</source>
            <translation>El servidor de la agencia no aceptó la conexión: puede estar caído o reiniciándose; su trabajo está seguro aquí y PeerDesk lo vuelve a intentar (si sigue así, avise a TI).</translation>
        </message>
        <message>
            <location line="+5" />
            <source>This laptop is not connected to a network; connect to Wi-Fi or a hotspot; your work waits here until you are online.</source>
            <translation>Esta computadora no está conectada a ninguna red; conéctese a un wifi o a un punto de acceso; su trabajo espera aquí hasta que tenga conexión.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>The agency took too long to answer; the network may be slow, your work is safe: sync again later or from a stronger connection.</source>
            <translation>La agencia tardó demasiado en responder; puede que la red esté lenta, pero su trabajo está seguro: vuelva a sincronizar más tarde o con una conexión mejor.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>The agency's server had a problem; your work is safe here and PeerDesk tries again later.</source>
            <translation>El servidor de la agencia tuvo un problema; su trabajo está seguro aquí y PeerDesk lo vuelve a intentar más tarde.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>The connection dropped during the sync; your work is safe: PeerDesk tries again, or sync again when the connection is steadier.</source>
            <translation>La conexión se cortó durante la sincronización; su trabajo está seguro: PeerDesk lo vuelve a intentar, o sincronice de nuevo cuando la conexión sea más estable.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>The agency could not be reached; your work is safe here: check the network connection, then sync again.</source>
            <translation>No se pudo contactar con la agencia; su trabajo está seguro aquí: compruebe la conexión de red y vuelva a sincronizar.</translation>
        </message>
        <message>
            <location line="+20" />
            <source>the code is not valid (unknown, expired or already used); ask IT for a new one</source>
            <translation>el código no es válido (es desconocido, venció o ya se usó); pida uno nuevo al equipo de informática</translation>
        </message>
        <message>
            <location line="+4" />
            <source>this laptop is already enrolled with the agency</source>
            <translation>esta computadora ya está inscrita con la agencia</translation>
        </message>
        <message>
            <location line="+3" />
            <source>this supervisor is already enrolled with the agency</source>
            <translation>este supervisor ya está inscrito con la agencia</translation>
        </message>
        <message>
            <location line="+3" />
            <source>the agency could not read what this laptop sent</source>
            <translation>la agencia no pudo leer lo que envió esta computadora</translation>
        </message>
        <message>
            <location line="+3" />
            <source>the agency did not recognise this laptop</source>
            <translation>la agencia no reconoció esta computadora</translation>
        </message>
        <message>
            <location line="+3" />
            <source>the agency could not check this laptop's signature</source>
            <translation>la agencia no pudo comprobar la firma de esta computadora</translation>
        </message>
        <message>
            <location line="+3" />
            <source>the agency does not have what was asked for</source>
            <translation>la agencia no tiene lo que se pidió</translation>
        </message>
        <message>
            <location line="+3" />
            <source>the agency is still working on the last sync; try again shortly</source>
            <translation>la agencia todavía está procesando la última sincronización; vuelva a intentarlo en un momento</translation>
        </message>
        <message>
            <location line="+3" />
            <source>the agency already received a different sync with the same number</source>
            <translation>la agencia ya recibió otra sincronización distinta con el mismo número</translation>
        </message>
        <message>
            <location line="+3" />
            <source>the agency server is not set up yet</source>
            <translation>el servidor de la agencia todavía no está configurado</translation>
        </message>
        <message>
            <location line="+1" />
            <source>the agency has withdrawn this laptop's access</source>
            <translation>la agencia retiró el acceso de esta computadora</translation>
        </message>
        <message>
            <location line="+3" />
            <source>this supervisor was removed from the team at the agency</source>
            <translation>la agencia quitó a este supervisor del equipo</translation>
        </message>
        <message>
            <location line="+3" />
            <source>the note changed at the agency since it was opened</source>
            <translation>la nota cambió en la agencia desde que se abrió</translation>
        </message>
        <message>
            <location line="+3" />
            <source>a decision on this note was already made</source>
            <translation>ya se tomó una decisión sobre esta nota</translation>
        </message>
        <message>
            <location line="+3" />
            <source>the agency server cannot store anything right now</source>
            <translation>el servidor de la agencia no puede guardar nada en este momento</translation>
        </message>
        <message>
            <location line="+3" />
            <source>the agency server had an internal problem</source>
            <translation>el servidor de la agencia tuvo un problema interno</translation>
        </message>
        <message>
            <location filename="../../ui/errors.py" line="+37" />
            <source>The agency refused the request: {detail}.</source>
            <translation>La agencia rechazó la solicitud: {detail}.</translation>
        </message>
        <message>
            <location line="+7" />
            <source>This laptop is not connected to an agency yet; ask IT for an enrollment code.</source>
            <translation>Esta computadora portátil todavía no está conectada a una agencia; pida a IT un código de inscripción.</translation>
        </message>
        <message>
            <location line="+7" />
            <source>The agency has withdrawn this laptop's access; please contact IT.</source>
            <translation>La agencia retiró el acceso de esta computadora portátil; comuníquese con IT.</translation>
        </message>
        <message>
            <location line="+8" />
            <source>This note was already decided (approved, or returned and not resubmitted since), perhaps by another supervisor; your decision was not recorded.</source>
            <translation>Esta nota ya estaba decidida (aprobada, o devuelta y no reenviada desde entonces), quizá por otro supervisor; su decisión no se registró.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>This note changed after you opened it (an addendum or a resubmission arrived), so your decision was not recorded; read it again and decide on what is there now.</source>
            <translation>Esta nota cambió después de abrirla (llegó un anexo o un reenvío), así que su decisión no se registró; léala otra vez y decida sobre lo que hay ahora.</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/errors.py" line="162" />
            <source>That passphrase is not right; %n more wrong attempt(s) will erase this profile for safety.</source>
            <translation>
                <numerusform>Esa frase de contraseña no es correcta; con %n intento incorrecto más se borrará este perfil por seguridad.</numerusform>
                <numerusform>Esa frase de contraseña no es correcta; con %n intentos incorrectos más se borrará este perfil por seguridad.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/errors.py" line="174" />
            <source>Too many wrong passphrases; please wait %n second(s) before you try again.</source>
            <translation>
                <numerusform>Demasiadas frases de contraseña incorrectas; espere %n segundo antes de intentarlo otra vez.</numerusform>
                <numerusform>Demasiadas frases de contraseña incorrectas; espere %n segundos antes de intentarlo otra vez.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>core</name>
        <message>
            <location filename="../../peerdesk/config.py" line="263" />
            <source>cannot check {item}: {problem}</source>
            <translation>no se pudo comprobar {item}: {problem}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/config.py" line="272" />
            <source>{item} can be changed by users other than the administrator (owner uid {uid}, mode {mode}); make it owned by root and writable by root only (chown root; chmod 644, or 755 for the folder)</source>
            <translation>{item} lo pueden cambiar otros usuarios además del administrador (uid del dueño {uid}, modo {mode}); haga que su dueño sea root y que solo root pueda escribirlo (chown root; chmod 644, o 755 para la carpeta)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="85" />
            <source>Use a few words, avoid common phrases.</source>
            <translation>Use varias palabras y evite frases comunes.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="86" />
            <source>No need for symbols, digits, or uppercase letters.</source>
            <translation>No hacen falta símbolos, números ni mayúsculas.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="89" />
            <source>Add another word or two. Uncommon words are better.</source>
            <translation>Agregue una o dos palabras más. Las palabras poco comunes son mejores.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="92" />
            <source>Straight rows of keys are easy to guess.</source>
            <translation>Las filas seguidas de teclas son fáciles de adivinar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="93" />
            <source>Short keyboard patterns are easy to guess.</source>
            <translation>Los patrones cortos de teclado son fáciles de adivinar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="94" />
            <source>Use a longer keyboard pattern with more turns.</source>
            <translation>Use un patrón de teclado más largo y con más giros.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="97" />
            <source>Repeats like "aaa" are easy to guess.</source>
            <translation>Las repeticiones como «aaa» son fáciles de adivinar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="98" />
            <source>Repeats like "abcabcabc" are only slightly harder to guess than "abc".</source>
            <translation>Las repeticiones como «abcabcabc» son apenas un poco más difíciles de adivinar que «abc».</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="101" />
            <source>Avoid repeated words and characters.</source>
            <translation>Evite repetir palabras y caracteres.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="102" />
            <source>Sequences like "abc" or "6543" are easy to guess.</source>
            <translation>Las secuencias como «abc» o «6543» son fáciles de adivinar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="105" />
            <source>Avoid sequences.</source>
            <translation>Evite las secuencias.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="106" />
            <source>Recent years are easy to guess.</source>
            <translation>Los años recientes son fáciles de adivinar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="107" />
            <source>Avoid recent years.</source>
            <translation>Evite los años recientes.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="108" />
            <source>Avoid years that are associated with you.</source>
            <translation>Evite los años relacionados con usted.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="109" />
            <source>Dates are often easy to guess.</source>
            <translation>Las fechas suelen ser fáciles de adivinar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="110" />
            <source>Avoid dates and years that are associated with you.</source>
            <translation>Evite las fechas y los años relacionados con usted.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="113" />
            <source>This is a top-10 common password.</source>
            <translation>Es una de las 10 contraseñas más comunes.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="114" />
            <source>This is a top-100 common password.</source>
            <translation>Es una de las 100 contraseñas más comunes.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="115" />
            <source>This is a very common password.</source>
            <translation>Es una contraseña muy común.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="116" />
            <source>This is similar to a commonly used password.</source>
            <translation>Se parece a una contraseña muy usada.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="119" />
            <source>A word by itself is easy to guess.</source>
            <translation>Una sola palabra es fácil de adivinar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="120" />
            <source>Names and surnames by themselves are easy to guess.</source>
            <translation>Los nombres y apellidos solos son fáciles de adivinar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="123" />
            <source>Common names and surnames are easy to guess.</source>
            <translation>Los nombres y apellidos comunes son fáciles de adivinar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="126" />
            <source>Capitalization doesn't help very much.</source>
            <translation>Usar mayúscula inicial no ayuda mucho.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="127" />
            <source>All-uppercase is almost as easy to guess as all-lowercase.</source>
            <translation>Todo en mayúsculas es casi tan fácil de adivinar como todo en minúsculas.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="130" />
            <source>Reversed words aren't much harder to guess.</source>
            <translation>Las palabras al revés no son mucho más difíciles de adivinar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="133" />
            <source>Predictable substitutions like '@' instead of 'a' don't help very much.</source>
            <translation>Los cambios previsibles, como «@» en lugar de «a», no ayudan mucho.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="139" />
            <source>Use several uncommon words; a longer passphrase is harder to guess.</source>
            <translation>Use varias palabras poco comunes; una frase de contraseña más larga es más difícil de adivinar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="155" />
            <source>less than a second</source>
            <translation>menos de un segundo</translation>
        </message>
        <message numerus="yes">
            <location filename="../../peerdesk/crypto/passphrase.py" line="157" />
            <source>%n second(s)</source>
            <translation>
                <numerusform>%n segundo</numerusform>
                <numerusform>%n segundos</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../peerdesk/crypto/passphrase.py" line="159" />
            <source>%n minute(s)</source>
            <translation>
                <numerusform>%n minuto</numerusform>
                <numerusform>%n minutos</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../peerdesk/crypto/passphrase.py" line="161" />
            <source>%n hour(s)</source>
            <translation>
                <numerusform>%n hora</numerusform>
                <numerusform>%n horas</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../peerdesk/crypto/passphrase.py" line="163" />
            <source>%n day(s)</source>
            <translation>
                <numerusform>%n día</numerusform>
                <numerusform>%n días</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../peerdesk/crypto/passphrase.py" line="165" />
            <source>%n month(s)</source>
            <translation>
                <numerusform>%n mes</numerusform>
                <numerusform>%n meses</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../peerdesk/crypto/passphrase.py" line="167" />
            <source>%n year(s)</source>
            <translation>
                <numerusform>%n año</numerusform>
                <numerusform>%n años</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="168" />
            <source>centuries</source>
            <translation>siglos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="189" />
            <source>Use at least {minimum} characters (this has {count}).</source>
            <translation>Use al menos {minimum} caracteres (esta tiene {count}).</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="196" />
            <source>Use at most {maximum} characters.</source>
            <translation>Use como máximo {maximum} caracteres.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="204" />
            <source>This is a commonly used password; attackers try it first.</source>
            <translation>Es una contraseña muy usada; los atacantes la prueban primero.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="208" />
            <source>This is a common password with numbers or symbols added.</source>
            <translation>Es una contraseña común con números o símbolos añadidos.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="212" />
            <source>Do not build the passphrase from the program or profile name.</source>
            <translation>No forme la frase de contraseña con el nombre del programa o del perfil.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="214" />
            <source>This repeats the same few characters; use several words instead.</source>
            <translation>Repite los mismos pocos caracteres; use varias palabras en su lugar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="216" />
            <source>This is a keyboard or number sequence; use several words instead.</source>
            <translation>Es una secuencia del teclado o de números; use varias palabras en su lugar.</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/passphrase.py" line="224" />
            <source>instantly</source>
            <translation>al instante</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/recovery.py" line="50" />
            <source>a recovery code has {length} letters and digits; this one has {count}</source>
            <translation>un código de recuperación tiene {length} letras y números; este tiene {count}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/recovery.py" line="61" />
            <source>{ch} cannot appear in a recovery code</source>
            <translation>{ch} no puede aparecer en un código de recuperación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/recovery.py" line="65" />
            <source>this is not a valid recovery code</source>
            <translation>este no es un código de recuperación válido</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/recovery.py" line="74" />
            <source>the recovery code has a typo (its check letter does not match)</source>
            <translation>el código de recuperación tiene un error de escritura (su letra de control no coincide)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/vault.py" line="222" />
            <source>the vault header {path} is gone (deleted while the profile was open)</source>
            <translation>el encabezado de la bóveda {path} ya no está (se borró mientras el perfil estaba abierto)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/crypto/vault.py" line="486" />
            <source>this recovery code does not open this profile: it was made for another laptop or profile, or it was used already</source>
            <translation>este código de recuperación no abre este perfil: se hizo para otra computadora u otro perfil, o ya se usó</translation>
        </message>
        <message>
            <location filename="../../peerdesk/demo/profiles.py" line="148" />
            <source>the demo agency gave no supervisor invite</source>
            <translation>la agencia de demostración no dio ninguna invitación de supervisor</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="82" />
            <source>{what} is longer than {limit} characters</source>
            <translation>{what}: el texto tiene más de {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="86" />
            <source>enter {what}</source>
            <translation>escriba {what}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="94" />
            <source>miles must be a number</source>
            <translation>las millas deben ser un número</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="97" />
            <source>miles must be more than 0</source>
            <translation>las millas deben ser más de 0</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="100" />
            <source>a ride of more than {limit} miles is a typing error</source>
            <translation>un viaje de más de {limit} millas es un error al escribir</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="110" />
            <source>where to pick the person up</source>
            <translation>dónde recoger a la persona</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="112" />
            <source>where the ride goes</source>
            <translation>adónde va el viaje</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="122" />
            <source>the time has no time zone</source>
            <translation>la hora no tiene zona horaria</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="124" />
            <source>the length is a number of minutes</source>
            <translation>la duración es un número de minutos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="126" />
            <source>the length is between 5 minutes and 24 hours</source>
            <translation>la duración va de 5 minutos a 24 horas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="130" />
            <source>unknown appointment status</source>
            <translation>estado de la cita desconocido</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="134" />
            <source>what the appointment is</source>
            <translation>de qué es la cita</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="135" />
            <source>the place</source>
            <translation>el lugar</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="146" />
            <source>this ride is logged already</source>
            <translation>este viaje ya está registrado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="150" />
            <source>the return is before the pick-up</source>
            <translation>el regreso es antes de la recogida</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/appointments.py" line="153" />
            <source>enter the miles driven</source>
            <translation>escriba las millas recorridas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="184" />
            <source>payer name must be a non-empty text</source>
            <translation>el nombre del pagador (name) debe ser un texto no vacío</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="187" />
            <source>code {code} is not an HCPCS code (a letter and four digits, e.g. H0038)</source>
            <translation>el código {code} no es un código HCPCS (una letra y cuatro dígitos, p. ej. H0038)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="198" />
            <source>rounding {rounding} is not one of: {choices}</source>
            <translation>el redondeo (rounding) {rounding} no es uno de: {choices}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="209" />
            <source>unit_minutes must be a whole number from 1 to 240</source>
            <translation>unit_minutes debe ser un número entero de 1 a 240</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="214" />
            <source>min_minutes_per_unit is required when rounding is 'min_minutes_per_unit'</source>
            <translation>min_minutes_per_unit es obligatorio cuando rounding es 'min_minutes_per_unit'</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="222" />
            <source>min_minutes_per_unit must be a whole number from 1 to {limit}</source>
            <translation>min_minutes_per_unit debe ser un número entero de 1 a {limit}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="230" />
            <source>min_minutes_per_unit is only used when rounding is 'min_minutes_per_unit'</source>
            <translation>min_minutes_per_unit solo se usa cuando rounding es 'min_minutes_per_unit'</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="237" />
            <source>daily_cap_units must be a whole number of at least 1 (or absent for no cap)</source>
            <translation>daily_cap_units debe ser un número entero de al menos 1 (o no estar, para no tener límite)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="242" />
            <source>max_contact_minutes must be a whole number from 1 to 1440</source>
            <translation>max_contact_minutes debe ser un número entero de 1 a 1440</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="246" />
            <source>description must be text</source>
            <translation>description debe ser un texto</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="252" />
            <source>modifier {modifier} must be two capital letters or digits</source>
            <translation>el modificador {modifier} debe tener dos letras mayúsculas o dígitos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="259" />
            <source>modifiers lists a modifier twice</source>
            <translation>modifiers tiene un modificador repetido</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="274" />
            <source>modifier {modifier} for {contact_type} is not declared in modifiers</source>
            <translation>el modificador {modifier} de {contact_type} no está declarado en modifiers</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="291" />
            <source>day_rule {day_rule} is not one of: {choices}</source>
            <translation>day_rule {day_rule} no es uno de: {choices}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="301" />
            <source>billable_states must list one or both of: signed, approved</source>
            <translation>billable_states debe tener uno o ambos de: signed, approved</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="318" />
            <source>payer_id must be letters and digits</source>
            <translation>payer_id debe tener solo letras y dígitos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="331" />
            <source>unit_charge must be an amount in dollars and cents, 0 to {limit}</source>
            <translation>unit_charge debe ser una cantidad en dólares y centavos, de 0 a {limit}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="340" />
            <source>diagnosis_required must be true or false</source>
            <translation>diagnosis_required debe ser true o false</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="346" />
            <source>default_diagnosis must be an ICD-10-CM code</source>
            <translation>default_diagnosis debe ser un código ICD-10-CM</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="378" />
            <source>place of service {value} must be a two-digit CMS code</source>
            <translation>el lugar de servicio {value} debe ser un código CMS de dos dígitos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="392" />
            <source>{value} is not a location type (one of: {choices})</source>
            <translation>{value} no es un tipo de lugar (uno de: {choices})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="409" />
            <source>{value} is not a contact type (one of: {choices})</source>
            <translation>{value} no es un tipo de contacto (uno de: {choices})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="428" />
            <source>minutes must be a whole number</source>
            <translation>los minutos deben ser un número entero</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="431" />
            <source>the contact must last at least one minute (end after start)</source>
            <translation>el contacto debe durar al menos un minuto (terminar después de empezar)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="435" />
            <source>a single contact of {minutes} minutes is longer than the {limit}-minute limit; check the end time</source>
            <translation>un solo contacto de {minutes} minutos pasa del límite de {limit} minutos; revise la hora de fin</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="466" />
            <source>{name} must be a date and time</source>
            <translation>{name} debe ser una fecha y hora</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="470" />
            <source>{name} must carry a time zone</source>
            <translation>{name} debe llevar zona horaria</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/billing.py" line="483" />
            <source>the contact must end after it starts</source>
            <translation>el contacto debe terminar después de empezar</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="105" />
            <source>the phone number is longer than {limit} characters</source>
            <translation>el número de teléfono tiene más de {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="111" />
            <source>a phone number has only digits, spaces, + ( ) - . and an extension (x123)</source>
            <translation>un número de teléfono solo tiene dígitos, espacios, + ( ) - . y una extensión (x123)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="117" />
            <source>the phone number is too short (at least {least} digits)</source>
            <translation>el número de teléfono es demasiado corto (al menos {least} dígitos)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="122" />
            <source>the phone number is too long (at most {most} digits)</source>
            <translation>el número de teléfono es demasiado largo (como máximo {most} dígitos)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="135" />
            <source>the email is longer than {limit} characters</source>
            <translation>el correo electrónico tiene más de {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="138" />
            <source>the email does not look like name@example.org</source>
            <translation>el correo electrónico no tiene la forma nombre@ejemplo.org</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="153" />
            <source>the name</source>
            <translation>el nombre</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="155" />
            <source>enter the person's name</source>
            <translation>escriba el nombre de la persona</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="159" />
            <source>choose a role from the list (or Other)</source>
            <translation>elija un rol de la lista (u Otro)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="161" />
            <source>the role</source>
            <translation>el rol</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="166" />
            <source>say in a few words what their role is</source>
            <translation>diga en pocas palabras cuál es su rol</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="170" />
            <source>the contact notes are longer than {limit} characters</source>
            <translation>las notas de contacto tienen más de {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="174" />
            <source>the end date is in the future</source>
            <translation>la fecha de fin está en el futuro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/care_team.py" line="180" />
            <source>the organisation</source>
            <translation>la organización</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/claims.py" line="187" />
            <source>key '{key}': {message}</source>
            <translation>clave '{key}': {message}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/claims.py" line="196" />
            <source>not valid TOML: {error}</source>
            <translation>no es TOML válido: {error}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/claims.py" line="213" />
            <source>unknown key</source>
            <translation>clave desconocida</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/claims.py" line="218" />
            <source>is required (a text string)</source>
            <translation>es obligatoria (un texto)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/claims.py" line="221" />
            <source>{value} is not in the expected form</source>
            <translation>{value} no tiene la forma esperada</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/claims.py" line="225" />
            <source>is not a valid NPI (ten digits, check digit)</source>
            <translation>no es un NPI válido (diez dígitos, dígito de control)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/claims.py" line="228" />
            <source>must be a table of peer = NPI</source>
            <translation>debe ser una tabla de par = NPI</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/claims.py" line="231" />
            <source>is not a valid NPI</source>
            <translation>no es un NPI válido</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/crisis.py" line="105" />
            <source>say briefly why (a few words are enough)</source>
            <translation>diga brevemente por qué (bastan unas pocas palabras)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/crisis.py" line="108" />
            <source>the reason is at most {limit} characters</source>
            <translation>el motivo tiene como máximo {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/crisis.py" line="111" />
            <source>who flagged is missing</source>
            <translation>falta quién marcó la alerta</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/crisis.py" line="115" />
            <source>a flag cannot be cleared before it was set</source>
            <translation>una alerta no se puede quitar antes de haberse marcado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/crisis.py" line="118" />
            <source>who cleared is missing</source>
            <translation>falta quién quitó la alerta</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/crisis.py" line="121" />
            <source>the outcome is at most {limit} characters</source>
            <translation>el resultado tiene como máximo {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/crisis.py" line="137" />
            <source>a step has at most {limit} lines</source>
            <translation>un paso tiene como máximo {limit} líneas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/crisis.py" line="141" />
            <source>a line is at most {limit} characters</source>
            <translation>una línea tiene como máximo {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/day_rules.py" line="288" />
            <source>note {note_id} is listed twice; it can only be billed once</source>
            <translation>la nota {note_id} aparece dos veces; solo se puede facturar una vez</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/day_rules.py" line="494" />
            <source>note {note_id}: {problem}</source>
            <translation>nota {note_id}: {problem}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/directory/delta.py" line="128" />
            <source>a {kind} with this id already exists</source>
            <translation>ya existe un registro {kind} con este id</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/directory/delta.py" line="136" />
            <source>there is no {kind} with this id</source>
            <translation>no hay ningún registro {kind} con este id</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/directory/validation.py" line="79" />
            <source>there is no organization with id {id}</source>
            <translation>no hay ninguna organización con el id {id}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/directory/validation.py" line="88" />
            <source>there is no location with id {id}</source>
            <translation>no hay ningún lugar con el id {id}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/directory/validation.py" line="97" />
            <source>unknown taxonomy term {id}</source>
            <translation>término de taxonomía desconocido {id}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/directory/validation.py" line="114" />
            <source>unknown parent term {id}</source>
            <translation>término superior desconocido {id}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/directory/validation.py" line="121" />
            <source>unknown taxonomy {id}</source>
            <translation>taxonomía desconocida {id}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/directory/validation.py" line="124" />
            <source>the term is its own ancestor</source>
            <translation>el término es su propio antecesor</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/directory/validation.py" line="143" />
            <source>duplicate {table} id {id}</source>
            <translation>id de {table} repetido {id}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/exports.py" line="81" />
            <source>cannot export a {kind}</source>
            <translation>no se puede exportar un {kind}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="106" />
            <source>the group needs a name</source>
            <translation>el grupo necesita un nombre</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="109" />
            <source>a group name has at most {limit} characters</source>
            <translation>el nombre de un grupo tiene como máximo {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="114" />
            <source>a group needs at least {least} participants in it</source>
            <translation>un grupo necesita al menos {least} participantes</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="119" />
            <source>a group has at most {limit} participants</source>
            <translation>un grupo tiene como máximo {limit} participantes</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="122" />
            <source>a group cannot end before it started</source>
            <translation>un grupo no puede terminar antes de haber empezado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="132" />
            <source>this group has ended</source>
            <translation>este grupo ya terminó</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="134" />
            <source>the session is of another group</source>
            <translation>la sesión es de otro grupo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="136" />
            <source>the start needs a time zone</source>
            <translation>el inicio necesita una zona horaria</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="139" />
            <source>a session lasts {least} to {most} minutes</source>
            <translation>una sesión dura de {least} a {most} minutos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="143" />
            <source>write the session's topic</source>
            <translation>escriba el tema de la sesión</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="146" />
            <source>a topic has at most {limit} characters</source>
            <translation>un tema tiene como máximo {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="149" />
            <source>write what the group did</source>
            <translation>escriba lo que hizo el grupo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="151" />
            <source>mark who came</source>
            <translation>marque quién vino</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="154" />
            <source>someone marked as come is not in this group</source>
            <translation>alguien marcado como presente no está en este grupo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="158" />
            <source>a part has at most {limit} characters</source>
            <translation>una parte tiene como máximo {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/groups.py" line="161" />
            <source>write each attendee's own part</source>
            <translation>escriba la parte propia de cada asistente</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="43" />
            <source>{name} must be a number (Decimal)</source>
            <translation>{name} debe ser un número (Decimal)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="48" />
            <source>{name} must be a finite number</source>
            <translation>{name} debe ser un número finito</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="65" />
            <source>a single trip of {miles} miles is over the {limit}-mile limit</source>
            <translation>un solo viaje de {miles} millas pasa del límite de {limit} millas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="75" />
            <source>odometer reading cannot be negative</source>
            <translation>la lectura del odómetro no puede ser negativa</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="80" />
            <source>odometer end reading must be greater than the start reading</source>
            <translation>la lectura final del odómetro debe ser mayor que la inicial</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="86" />
            <source>odometer readings give {miles} miles, over the {limit}-mile limit for one trip; check the readings</source>
            <translation>las lecturas del odómetro dan {miles} millas, más del límite de {limit} millas para un viaje; revise las lecturas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="96" />
            <source>miles ({miles}) does not match the odometer readings ({distance})</source>
            <translation>las millas ({miles}) no coinciden con las lecturas del odómetro ({distance})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="109" />
            <source>enter the odometer end reading or the miles</source>
            <translation>escriba la lectura final del odómetro o las millas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="113" />
            <source>enter the odometer start reading or the miles</source>
            <translation>escriba la lectura inicial del odómetro o las millas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="115" />
            <source>enter the miles or both odometer readings</source>
            <translation>escriba las millas o las dos lecturas del odómetro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="123" />
            <source>trip date is required</source>
            <translation>falta la fecha del viaje</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="126" />
            <source>choose the participant who rode along (or untick 'with participant')</source>
            <translation>elija al participante que fue en el viaje (o desmarque 'con participante')</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="137" />
            <source>miles cannot be negative</source>
            <translation>las millas no pueden ser negativas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/mileage.py" line="139" />
            <source>rate per mile cannot be negative</source>
            <translation>la tarifa por milla no puede ser negativa</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/notes.py" line="54" />
            <source>{template} notes have no section {section}</source>
            <translation>las notas {template} no tienen la sección {section}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/notes.py" line="66" />
            <source>section {section} must be text</source>
            <translation>la sección {section} debe ser un texto</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/notes.py" line="70" />
            <source>section {section} is longer than {limit} characters</source>
            <translation>la sección {section} tiene más de {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/notes.py" line="84" />
            <source>at most {limit} goals per note</source>
            <translation>como máximo {limit} metas por nota</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/notes.py" line="87" />
            <source>a goal is longer than {limit} characters</source>
            <translation>una meta tiene más de {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/notes.py" line="111" />
            <source>start and end need a time zone</source>
            <translation>el inicio y el fin necesitan una zona horaria</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/notes.py" line="113" />
            <source>the end time must be after the start time</source>
            <translation>la hora de fin debe ser después de la hora de inicio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/notes.py" line="115" />
            <source>a contact cannot be longer than 12 hours</source>
            <translation>un contacto no puede durar más de 12 horas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/notes.py" line="121" />
            <source>write something in the note before signing it</source>
            <translation>escriba algo en la nota antes de firmarla</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/outcomes.py" line="106" />
            <source>{name} has {count} items; {given} were given</source>
            <translation>{name} tiene {count} preguntas; se dieron {given}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/outcomes.py" line="117" />
            <source>{name} item {item} is answered {low} to {high}</source>
            <translation>la pregunta {item} de {name} se responde de {low} a {high}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/outcomes.py" line="182" />
            <source>er_visits</source>
            <translation>las visitas a urgencias</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/outcomes.py" line="183" />
            <source>hospital_nights</source>
            <translation>las noches en el hospital</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/outcomes.py" line="186" />
            <source>{what} is 0 to {high}</source>
            <translation>{what} va de 0 a {high}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/outcomes.py" line="193" />
            <source>the check-in date is in the future</source>
            <translation>la fecha del seguimiento está en el futuro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/outcomes.py" line="203" />
            <source>the check-in has no answers</source>
            <translation>el seguimiento no tiene respuestas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/payer_file.py" line="59" />
            <source>must be a text string, not {kind}</source>
            <translation>debe ser un texto, no {kind}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/payer_file.py" line="68" />
            <source>must be a whole number, not {kind}</source>
            <translation>debe ser un número entero, no {kind}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/payer_file.py" line="76" />
            <source>must be a list of text strings</source>
            <translation>debe ser una lista de textos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/payer_file.py" line="103" />
            <source>{value} is not one of: {choices}</source>
            <translation>{value} no es uno de: {choices}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/payer_file.py" line="110" />
            <source>must be a table of type = "code"</source>
            <translation>debe ser una tabla de tipo = "código"</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/payer_file.py" line="130" />
            <source>not a location type (one of: {choices})</source>
            <translation>no es un tipo de lugar (uno de: {choices})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/payer_file.py" line="144" />
            <source>must be an amount such as "12.50"</source>
            <translation>debe ser una cantidad como "12.50"</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/payer_file.py" line="149" />
            <source>must be true or false</source>
            <translation>debe ser true o false</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/payer_file.py" line="171" />
            <source>unknown key (known keys: {known})</source>
            <translation>clave desconocida (claves conocidas: {known})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/payer_file.py" line="174" />
            <source>is required but missing</source>
            <translation>es obligatoria y falta</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/payer_file.py" line="201" />
            <source>must be a table of contact type = [modifiers]</source>
            <translation>debe ser una tabla de tipo de contacto = [modificadores]</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/program_report.py" line="43" />
            <source>the smallest group shown must be at least {least}, so that one person cannot be picked out</source>
            <translation>el grupo más pequeño que se muestra debe ser de al menos {least}, para que no se pueda reconocer a una persona</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="156" />
            <source>a plan has at most {limit} goals</source>
            <translation>un plan tiene como máximo {limit} metas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="162" />
            <source>two goals have the same id</source>
            <translation>dos metas tienen el mismo id</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="166" />
            <source>a goal has at most {limit} steps</source>
            <translation>una meta tiene como máximo {limit} pasos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="169" />
            <source>the step</source>
            <translation>el paso</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="176" />
            <source>the goal in the person's words</source>
            <translation>la meta en palabras de la persona</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="186" />
            <source>the agreement date is in the future</source>
            <translation>la fecha del acuerdo está en el futuro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="188" />
            <source>a review date is in the future</source>
            <translation>una fecha de revisión está en el futuro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="260" />
            <source>the intake date is in the future</source>
            <translation>la fecha de ingreso está en el futuro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="263" />
            <source>the person is enrolled already; discharge first</source>
            <translation>la persona ya está inscrita; primero dele de alta</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="268" />
            <source>a new enrollment starts on or after the last discharge</source>
            <translation>una nueva inscripción empieza el día del último alta o después</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="270" />
            <source>how the person came to us</source>
            <translation>cómo llegó la persona a nosotros</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="275" />
            <source>this enrollment has ended already</source>
            <translation>esta inscripción ya terminó</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="277" />
            <source>the discharge date is in the future</source>
            <translation>la fecha del alta está en el futuro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="279" />
            <source>the discharge is before the intake</source>
            <translation>el alta es antes del ingreso</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="280" />
            <source>the note</source>
            <translation>la nota</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="330" />
            <source>the participant's name</source>
            <translation>el nombre del participante</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="331" />
            <source>who may disclose</source>
            <translation>quién puede divulgar la información</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="332" />
            <source>what information may be shared</source>
            <translation>qué información se puede compartir</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="333" />
            <source>a description of the substance-use information</source>
            <translation>una descripción de la información sobre el consumo de sustancias</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="334" />
            <source>to whom</source>
            <translation>a quién</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="335" />
            <source>the purpose</source>
            <translation>el propósito</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="336" />
            <source>the right to revoke and how</source>
            <translation>el derecho a revocarlo y cómo hacerlo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="337" />
            <source>an expiration date, event or condition</source>
            <translation>una fecha, evento o condición de vencimiento</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="338" />
            <source>the signature</source>
            <translation>la firma</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="339" />
            <source>the date signed</source>
            <translation>la fecha de la firma</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="343" />
            <source>discloser</source>
            <translation>quién divulga</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="344" />
            <source>recipient</source>
            <translation>el destinatario</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="345" />
            <source>signed by</source>
            <translation>firmado por</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="346" />
            <source>purpose</source>
            <translation>el propósito</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="347" />
            <source>information detail</source>
            <translation>el detalle de la información</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="348" />
            <source>expires event</source>
            <translation>el evento de vencimiento</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="349" />
            <source>revocation note</source>
            <translation>la nota de revocación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="384" />
            <source>{what} is too long</source>
            <translation>{what}: el texto es demasiado largo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="388" />
            <source>the consent needs {element}</source>
            <translation>al consentimiento le falta {element}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="392" />
            <source>the date signed is in the future</source>
            <translation>la fecha de la firma está en el futuro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="394" />
            <source>the consent expires before it was signed</source>
            <translation>el consentimiento vence antes de haberse firmado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/record.py" line="397" />
            <source>the consent is revoked before it was signed</source>
            <translation>el consentimiento se revoca antes de haberse firmado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/referrals.py" line="35" />
            <source>made</source>
            <translation>hecha</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/referrals.py" line="36" />
            <source>connected</source>
            <translation>conectada</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/referrals.py" line="37" />
            <source>not connected</source>
            <translation>no conectada</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/referrals.py" line="46" />
            <source>a referral that is {current} cannot go back to {new}</source>
            <translation>una derivación que está {current} no puede volver a estar {new}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/reports.py" line="246" />
            <source>choose a year between 2000 and 2100</source>
            <translation>elija un año entre 2000 y 2100</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/reports.py" line="248" />
            <source>choose a month from 1 to 12</source>
            <translation>elija un mes del 1 al 12</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/reports.py" line="356" />
            <source>the mileage rate must be a non-negative amount</source>
            <translation>la tarifa por milla debe ser una cantidad que no sea negativa</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/reports.py" line="410" />
            <source>overdue policies cannot be negative</source>
            <translation>los plazos de retraso no pueden ser negativos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/review.py" line="29" />
            <source>a profile is a 'peer' or a 'supervisor' profile</source>
            <translation>un perfil es de 'par' o de 'supervisor'</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/times.py" line="20" />
            <source>time has no time zone</source>
            <translation>la hora no tiene zona horaria</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="148" />
            <source>topics</source>
            <translation>los temas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="149" />
            <source>follow ups</source>
            <translation>los seguimientos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="150" />
            <source>supervisor</source>
            <translation>el supervisor</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="151" />
            <source>state</source>
            <translation>el estado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="152" />
            <source>number</source>
            <translation>el número</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="153" />
            <source>title</source>
            <translation>el título</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="154" />
            <source>provider</source>
            <translation>el proveedor</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="155" />
            <source>evidence</source>
            <translation>el comprobante</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="156" />
            <source>note</source>
            <translation>la nota</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="157" />
            <source>warning signs</source>
            <translation>las señales de alerta</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="158" />
            <source>what helps</source>
            <translation>lo que ayuda</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="159" />
            <source>who to call</source>
            <translation>a quién llamar</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="160" />
            <source>energy</source>
            <translation>la energía</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="161" />
            <source>stress</source>
            <translation>el estrés</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="162" />
            <source>support</source>
            <translation>el apoyo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="169" />
            <source>{what} is required</source>
            <translation>falta {what}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="177" />
            <source>the date is in the future</source>
            <translation>la fecha está en el futuro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="184" />
            <source>a session lasts 1 to {most} minutes</source>
            <translation>una sesión dura de 1 a {most} minutos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="210" />
            <source>the expiry date is not after the issue date</source>
            <translation>la fecha de vencimiento no es posterior a la de emisión</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="219" />
            <source>hours are more than 0 and at most {most}</source>
            <translation>las horas son más de 0 y como máximo {most}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="222" />
            <source>hours have at most two decimals</source>
            <translation>las horas tienen como máximo dos decimales</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="239" />
            <source>{what} is 1 to 5</source>
            <translation>{what} va de 1 a 5</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="257" />
            <source>the period is 1 to 60 months</source>
            <translation>el periodo es de 1 a 60 meses</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/workforce.py" line="259" />
            <source>hours are 0 to 1000</source>
            <translation>las horas van de 0 a 1000</translation>
        </message>
        <message>
            <location filename="../../peerdesk/domain/x12_837.py" line="58" />
            <source>a value of the claims cannot go into an 837P file (it holds a separator ~ * : ^ or a character that is not ASCII); no file was written</source>
            <translation>un valor de las reclamaciones no puede ir en un archivo 837P (contiene un separador ~ * : ^ o un carácter que no es ASCII); no se escribió ningún archivo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/errors.py" line="305" />
            <source>cannot {action} a note that is {state}</source>
            <translation>no se puede {action} una nota que está {state}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/errors.py" line="321" />
            <source>there is no consent on file</source>
            <translation>no hay ningún consentimiento registrado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/errors.py" line="322" />
            <source>the consent on file has expired</source>
            <translation>el consentimiento registrado ha vencido</translation>
        </message>
        <message>
            <location filename="../../peerdesk/errors.py" line="323" />
            <source>the participant revoked the consent on file</source>
            <translation>el participante revocó el consentimiento registrado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/errors.py" line="324" />
            <source>the consent on file is not in effect yet</source>
            <translation>el consentimiento registrado aún no está en vigor</translation>
        </message>
        <message>
            <location filename="../../peerdesk/errors.py" line="325" />
            <source>there is no current consent</source>
            <translation>no hay un consentimiento vigente</translation>
        </message>
        <message>
            <location filename="../../peerdesk/errors.py" line="327" />
            <source>cannot share this person's information with {recipient}: {why}</source>
            <translation>no se puede compartir la información de esta persona con {recipient}: {why}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/errors.py" line="356" />
            <source>{where}: {problem}</source>
            <translation>{where}: {problem}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/exports.py" line="28" />
            <source>the folder {folder} does not exist</source>
            <translation>la carpeta {folder} no existe</translation>
        </message>
        <message>
            <location filename="../../peerdesk/exports.py" line="30" />
            <source>the folder {folder} cannot be written (no permission, or read-only)</source>
            <translation>no se puede escribir en la carpeta {folder} (no hay permiso o es de solo lectura)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/exports.py" line="35" />
            <source>the disk is full</source>
            <translation>el disco está lleno</translation>
        </message>
        <message>
            <location filename="../../peerdesk/exports.py" line="37" />
            <source>that name is a folder</source>
            <translation>ese nombre es una carpeta</translation>
        </message>
        <message>
            <location filename="../../peerdesk/exports.py" line="39" />
            <source>{problem}</source>
            <translation>{problem}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/exports.py" line="47" />
            <source>choose a file name</source>
            <translation>elija un nombre de archivo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/fsutil.py" line="50" />
            <source>cannot write {path}: {why}</source>
            <translation>no se puede escribir {path}: {why}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="146" />
            <source>is not UTF-8 text (byte {start})</source>
            <translation>no es texto UTF-8 (byte {start})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="161" />
            <source>must be an object</source>
            <translation>debe ser un objeto</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="178" />
            <source>the column {dup} appears twice</source>
            <translation>la columna {dup} aparece dos veces</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="185" />
            <source>the column {column} is missing</source>
            <translation>falta la columna {column}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="198" />
            <source>has more than {limit} rows</source>
            <translation>tiene más de {limit} filas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="205" />
            <source>has {values} values for {columns} columns</source>
            <translation>tiene {values} valores para {columns} columnas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="220" />
            <source>is not a readable CSV file: {problem}</source>
            <translation>no es un archivo CSV legible: {problem}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="240" />
            <source>both {first} and {second} are present</source>
            <translation>están a la vez {first} y {second}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="249" />
            <source>is larger than {limit} bytes</source>
            <translation>ocupa más de {limit} bytes</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="274" />
            <source>is required</source>
            <translation>es obligatorio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="282" />
            <source>{entity} id {rid} is a duplicate of the one at {source}, {record}</source>
            <translation>el id {rid} de {entity} repite el de {source}, {record}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="378" />
            <source>there is no {kind} with id {id}</source>
            <translation>no hay ningún registro {kind} con el id {id}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="385" />
            <source>must name its {names}</source>
            <translation>debe indicar su {names}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="392" />
            <source>{problem}; the row is kept unlinked</source>
            <translation>{problem}; la fila se guarda sin enlazar</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="402" />
            <source>there is no {kind} with id {id}; the row is kept with its other links</source>
            <translation>no hay ningún registro {kind} con el id {id}; la fila se guarda con sus otros enlaces</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/csv_package.py" line="421" />
            <source>no HSDS CSV files found (expected services.csv, organizations.csv ...)</source>
            <translation>no se encontraron archivos CSV de HSDS (se esperaban services.csv, organizations.csv ...)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/fields.py" line="34" />
            <source>must be an ISO 639 code of 2 or 3 letters, not {code}</source>
            <translation>debe ser un código ISO 639 de 2 o 3 letras, no {code}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/fields.py" line="37" />
            <source>a language needs a name or a code</source>
            <translation>un idioma necesita un nombre o un código</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/fields.py" line="60" />
            <source>{part} is not a day code (MO, TU, WE, TH, FR, SA, SU)</source>
            <translation>{part} no es un código de día (MO, TU, WE, TH, FR, SA, SU)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/fields.py" line="63" />
            <source>names a day twice</source>
            <translation>nombra un día dos veces</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/fields.py" line="67" />
            <source>{part} is not a day of the month</source>
            <translation>{part} no es un día del mes</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/fields.py" line="70" />
            <source>give both opens_at and closes_at</source>
            <translation>indique opens_at y closes_at a la vez</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/fields.py" line="72" />
            <source>a service cannot open at 24:00; use 00:00</source>
            <translation>un servicio no puede abrir a las 24:00; use 00:00</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/fields.py" line="75" />
            <source>is before valid_from</source>
            <translation>es anterior a valid_from</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/fields.py" line="134" />
            <source>is below minimum_age</source>
            <translation>es menor que minimum_age</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/fields.py" line="190" />
            <source>give both latitude and longitude</source>
            <translation>indique la latitud y la longitud a la vez</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/importing.py" line="271" />
            <source>cannot be read: {strerror}</source>
            <translation>no se puede leer: {strerror}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/json_format.py" line="110" />
            <source>is not valid JSON: {msg}</source>
            <translation>no es JSON válido: {msg}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/json_format.py" line="114" />
            <source>is not valid JSON: {problem}</source>
            <translation>no es JSON válido: {problem}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/json_format.py" line="127" />
            <source>must be an object, not {kind}</source>
            <translation>debe ser un objeto, no {kind}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/json_format.py" line="183" />
            <source>must be a list, not {kind}</source>
            <translation>debe ser una lista, no {kind}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/json_format.py" line="189" />
            <source>has {count} records; the limit is {limit}</source>
            <translation>tiene {count} registros; el límite es {limit}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/json_format.py" line="298" />
            <source>embedded records are not allowed here; send them as records of their own</source>
            <translation>aquí no se admiten registros incrustados; envíelos como registros aparte</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/json_format.py" line="413" />
            <source>does not match the embedded {what}'s id</source>
            <translation>no coincide con el id del registro {what} incrustado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/json_format.py" line="425" />
            <source>does not match the embedded organization's id</source>
            <translation>no coincide con el id de la organización incrustada</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/json_format.py" line="461" />
            <source>unknown record kind {kind}</source>
            <translation>tipo de registro desconocido {kind}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="100" />
            <source>must be text, not {kind}</source>
            <translation>debe ser texto, no {kind}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="107" />
            <source>is {length} characters long; the limit is {limit}</source>
            <translation>tiene {length} caracteres; el límite es {limit}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="114" />
            <source>contains control characters</source>
            <translation>contiene caracteres de control</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="140" />
            <source>must be an identifier without spaces or control characters</source>
            <translation>debe ser un identificador sin espacios ni caracteres de control</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="162" />
            <source>must be a number, not {value}</source>
            <translation>debe ser un número, no {value}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="165" />
            <source>must be a number, not {kind}</source>
            <translation>debe ser un número, no {kind}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="168" />
            <source>must be between {low} and {high}</source>
            <translation>debe estar entre {low} y {high}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="183" />
            <source>must be a whole number</source>
            <translation>debe ser un número entero</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="198" />
            <source>must be a date YYYY-MM-DD, not {value}</source>
            <translation>debe ser una fecha AAAA-MM-DD, no {value}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="210" />
            <source>must be one of {allowed}, not {value}</source>
            <translation>debe ser uno de {allowed}, no {value}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="222" />
            <source>must be a time HH:MM (optionally with an offset), not {value}</source>
            <translation>debe ser una hora HH:MM (con desfase horario opcional), no {value}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="239" />
            <source>has {count} entries; the limit is {limit}</source>
            <translation>tiene {count} elementos; el límite es {limit}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="277" />
            <source>has a field name that is not a short text: {name}</source>
            <translation>tiene un nombre de campo que no es un texto corto: {name}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="291" />
            <source>holds {count} characters of other fields; the limit is {limit}</source>
            <translation>contiene {count} caracteres de otros campos; el límite es {limit}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="303" />
            <source>is nested too deeply</source>
            <translation>está anidado a demasiada profundidad</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="311" />
            <source>contains a lone surrogate (not a character UTF-8 can hold)</source>
            <translation>contiene un sustituto suelto (no es un carácter que UTF-8 pueda guardar)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="322" />
            <source>must be a finite number</source>
            <translation>debe ser un número finito</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="352" />
            <source>must be a JSON value, not {kind}</source>
            <translation>debe ser un valor JSON, no {kind}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="378" />
            <source>null</source>
            <translation>nulo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="380" />
            <source>true/false</source>
            <translation>verdadero/falso</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="382" />
            <source>a number</source>
            <translation>un número</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="384" />
            <source>text</source>
            <translation>texto</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="386" />
            <source>a list</source>
            <translation>una lista</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="388" />
            <source>an object</source>
            <translation>un objeto</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="389" />
            <source>{name}</source>
            <translation>{name}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="435" />
            <source>has different contents than</source>
            <translation>tiene otro contenido que</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="435" />
            <source>is a duplicate of</source>
            <translation>repite</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/reader.py" line="438" />
            <source>{table} id {id} {what} the one at {source}, {record}</source>
            <translation>el id {id} de {table} {what} el de {source}, {record}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/shapes.py" line="95" />
            <source>another copy of this record has a different value; the first is kept</source>
            <translation>otra copia de este registro tiene un valor distinto; se conserva la primera</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/shapes.py" line="178" />
            <source>a service at location is read with its service embedded</source>
            <translation>un servicio en una ubicación se lee con su servicio incrustado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/shapes.py" line="248" />
            <source>must be a list</source>
            <translation>debe ser una lista</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/shapes.py" line="264" />
            <source>is not an HSDS document (a dataset, a record, a list or the tabular form)</source>
            <translation>no es un documento HSDS (un conjunto de datos, un registro, una lista o la forma tabular)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="71" />
            <source>must be a whole number of at least 0</source>
            <translation>debe ser un número entero de 0 o más</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="79" />
            <source>is not a map</source>
            <translation>no es un mapa</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="82" />
            <source>has format {found}, expected {expected}</source>
            <translation>tiene el formato {found}; se esperaba {expected}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="93" />
            <source>must be a short text</source>
            <translation>debe ser un texto corto</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="101" />
            <source>has type {found}, expected 'snapshot' or 'delta'</source>
            <translation>tiene el tipo {found}; se esperaba 'snapshot' o 'delta'</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="108" />
            <source>version {version} is not newer than its base version {base}</source>
            <translation>la versión {version} no es más nueva que su versión base {base}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="121" />
            <source>has {count} operations; the limit is {limit}</source>
            <translation>tiene {count} operaciones; el límite es {limit}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="130" />
            <source>must be a map</source>
            <translation>debe ser un mapa</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="134" />
            <source>has unknown keys {keys}</source>
            <translation>tiene claves desconocidas {keys}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="141" />
            <source>must be add, update or remove, not {found}</source>
            <translation>debe ser add, update o remove, no {found}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="154" />
            <source>must be an id</source>
            <translation>debe ser un id</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="158" />
            <source>the same {kind} is changed twice (also in ops[{index}])</source>
            <translation>el mismo registro {kind} se cambia dos veces (también en ops[{index}])</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="172" />
            <source>a removal carries no record</source>
            <translation>una eliminación no lleva registro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="177" />
            <source>an {action} needs the record</source>
            <translation>una operación {action} necesita el registro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/interop/hsds/update_doc.py" line="187" />
            <source>the record's id {id} is not the operation's id</source>
            <translation>el id del registro {id} no es el id de la operación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/decide.py" line="59" />
            <source>decision must be 'approved' or 'returned'</source>
            <translation>la decisión debe ser 'approved' o 'returned'</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/decide.py" line="64" />
            <source>write a comment that says what to fix before returning the note</source>
            <translation>escriba un comentario que diga qué corregir antes de devolver la nota</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/decide.py" line="69" />
            <source>a comment is at most {limit} characters</source>
            <translation>un comentario tiene como máximo {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/decide.py" line="74" />
            <source>sign the decision with your name (1-{limit} characters)</source>
            <translation>firme la decisión con su nombre (de 1 a {limit} caracteres)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/decide.py" line="79" />
            <source>seen_seq comes from the opened note</source>
            <translation>seen_seq viene de la nota abierta</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/decide.py" line="107" />
            <source>save the decision</source>
            <translation>guardar la decisión</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/directory_download.py" line="154" />
            <source>the agency offered {update}, but this laptop has version {have}</source>
            <translation>la agencia ofreció {update}, pero esta computadora tiene la versión {have}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/directory_download.py" line="201" />
            <source>apply the directory download</source>
            <translation>aplicar la descarga del directorio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/enrollment.py" line="49" />
            <source>type the enrollment code IT gave you</source>
            <translation>escriba el código de inscripción que le dio el equipo de informática</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/enrollment.py" line="50" />
            <source>type the supervisor invite code IT gave you</source>
            <translation>escriba el código de invitación de supervisor que le dio el equipo de informática</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/enrollment.py" line="58" />
            <source>name this laptop for the agency in 1 to {limit} characters</source>
            <translation>ponga a esta computadora un nombre para la agencia de 1 a {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/enrollment.py" line="105" />
            <source>this profile is enrolled with {agency_name} already</source>
            <translation>este perfil ya está inscrito con {agency_name}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/enrollment.py" line="142" />
            <source>save the enrollment</source>
            <translation>guardar la inscripción</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/enrollment.py" line="164" />
            <source>queue the recovery escrow</source>
            <translation>poner en cola el depósito de recuperación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/http.py" line="53" />
            <source>the agency CA certificate is not usable ({problem})</source>
            <translation>el certificado de la CA de la agencia no se puede usar ({problem})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/http.py" line="175" />
            <source>the agency client has no credential for this call</source>
            <translation>el cliente de la agencia no tiene credencial para esta llamada</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/http.py" line="207" />
            <source>the agency URL is not usable ({problem})</source>
            <translation>la URL de la agencia no se puede usar ({problem})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/outbound.py" line="128" />
            <source>drafts do not sync</source>
            <translation>los borradores no se sincronizan</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/outbound.py" line="158" />
            <source>unknown outbox entity {entity}</source>
            <translation>tipo de registro desconocido en la bandeja de salida: {entity}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/link/sync.py" line="498" />
            <source>save what the agency answered</source>
            <translation>guardar lo que respondió la agencia</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/directory.py" line="142" />
            <source>choose a new or empty folder for the CSV files</source>
            <translation>elija una carpeta nueva o vacía para los archivos CSV</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/directory.py" line="158" />
            <source>it cannot be written</source>
            <translation>no se puede escribir</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/link.py" line="340" />
            <source>the agency has locked the metered-connection setting</source>
            <translation>la agencia bloqueó el ajuste de conexión medida</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/maintenance.py" line="101" />
            <source>verify the audit chain</source>
            <translation>verificar la cadena de auditoría</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/notes.py" line="67" />
            <source>the day's start and end need a time zone</source>
            <translation>el inicio y el fin del día necesitan una zona horaria</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/payers.py" line="33" />
            <source>cannot read payer profile: {problem}</source>
            <translation>no se puede leer el perfil del pagador: {problem}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/payers.py" line="48" />
            <source>payer profile folder does not exist</source>
            <translation>la carpeta de perfiles de pagadores no existe</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/payers.py" line="51" />
            <source>no payer profiles (*.toml) in this folder</source>
            <translation>no hay perfiles de pagadores (*.toml) en esta carpeta</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/payers.py" line="60" />
            <source>payer name {name} is also used by {other}</source>
            <translation>el nombre de pagador {name} ya lo usa {other}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/payers.py" line="80" />
            <source>cannot read the billing provider file: {problem}</source>
            <translation>no se puede leer el archivo del proveedor de facturación: {problem}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/profiles.py" line="43" />
            <source>a profile name has 1-64 letters, digits, spaces, '.', '_' or '-'</source>
            <translation>un nombre de perfil tiene de 1 a 64 letras, números, espacios, '.', '_' o '-'</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/profiles.py" line="96" />
            <source>cannot create the profile folder {path}: {strerror}</source>
            <translation>no se puede crear la carpeta del perfil {path}: {strerror}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/reports.py" line="85" />
            <source>there is no payer profile {key} (known: {known})</source>
            <translation>no hay ningún perfil de pagador {key} (conocidos: {known})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/reports.py" line="305" />
            <source>reports are written here as CSV; the PDF comes from the desktop app</source>
            <translation>aquí los informes se escriben en CSV; el PDF lo hace la aplicación de escritorio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/reports.py" line="352" />
            <source>unknown export format {fmt}</source>
            <translation>formato de exportación desconocido {fmt}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/reports.py" line="354" />
            <source>unknown report {kind}</source>
            <translation>informe desconocido {kind}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/session.py" line="56" />
            <source>prepare the database</source>
            <translation>preparar la base de datos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/session.py" line="92" />
            <source>record the unlock</source>
            <translation>registrar el desbloqueo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/services/session.py" line="193" />
            <source>record the recovery</source>
            <translation>registrar la recuperación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/appointments.py" line="56" />
            <source>save the appointment</source>
            <translation>guardar la cita</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/appointments.py" line="67" />
            <source>an appointment stays with its participant</source>
            <translation>una cita se queda con su participante</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/appointments.py" line="106" />
            <source>log the ride</source>
            <translation>registrar el traslado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/appointments.py" line="109" />
            <source>this appointment has no ride</source>
            <translation>esta cita no tiene traslado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/appointments.py" line="111" />
            <source>this appointment is cancelled</source>
            <translation>esta cita está cancelada</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/audit.py" line="92" />
            <source>write the audit log</source>
            <translation>escribir el registro de auditoría</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/audit.py" line="106" />
            <source>read the audit log</source>
            <translation>leer el registro de auditoría</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/base.py" line="67" />
            <source>read the {kind}</source>
            <translation>leer el registro ({kind})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/base.py" line="102" />
            <source>read the records</source>
            <translation>leer los registros</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/db.py" line="43" />
            <source>cannot open the database {path}: {problem}</source>
            <translation>no se puede abrir la base de datos {path}: {problem}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/db.py" line="76" />
            <source>the profile folder is read-only</source>
            <translation>la carpeta del perfil es de solo lectura</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/db.py" line="78" />
            <source>the database is in use by another PeerDesk window</source>
            <translation>otra ventana de PeerDesk está usando la base de datos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/db.py" line="82" />
            <source>could not {what}: {why}; nothing was saved</source>
            <translation>no se pudo {what}: {why}; no se guardó nada</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/db.py" line="84" />
            <source>could not {what}: {why}</source>
            <translation>no se pudo {what}: {why}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/device.py" line="66" />
            <source>read the enrollment</source>
            <translation>leer la inscripción</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/device.py" line="144" />
            <source>save the sync cursor</source>
            <translation>guardar el punto de sincronización</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/device.py" line="152" />
            <source>save the agency keys</source>
            <translation>guardar las claves de la agencia</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/device.py" line="172" />
            <source>this provisioning file is for another agency than the one this profile is enrolled with</source>
            <translation>este archivo de aprovisionamiento es de otra agencia, no de la agencia con la que está inscrito este perfil</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/device.py" line="180" />
            <source>save the agency address</source>
            <translation>guardar la dirección de la agencia</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/device.py" line="190" />
            <source>save the recovery secret</source>
            <translation>guardar el secreto de recuperación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/device.py" line="206" />
            <source>read the recovery secret</source>
            <translation>leer el secreto de recuperación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/device.py" line="220" />
            <source>read the recovery secrets</source>
            <translation>leer los secretos de recuperación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/device.py" line="230" />
            <source>delete the recovery secret</source>
            <translation>borrar el secreto de recuperación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/delta.py" line="164" />
            <source>term {term} still belongs to this taxonomy</source>
            <translation>el término {term} todavía pertenece a esta taxonomía</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/delta.py" line="174" />
            <source>term {term} still has this term as its parent</source>
            <translation>el término {term} todavía tiene este término como padre</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/delta.py" line="184" />
            <source>unknown parent term {term}</source>
            <translation>término padre desconocido {term}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/delta.py" line="193" />
            <source>unknown taxonomy {taxonomy}</source>
            <translation>taxonomía desconocida {taxonomy}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/delta.py" line="210" />
            <source>location {location} still belongs to this organization</source>
            <translation>la ubicación {location} todavía pertenece a esta organización</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/derive.py" line="108" />
            <source>unknown taxonomy term {term}</source>
            <translation>término de taxonomía desconocido {term}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/download.py" line="48" />
            <source>start the directory download</source>
            <translation>empezar la descarga del directorio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/download.py" line="62" />
            <source>save a directory chunk</source>
            <translation>guardar una parte del directorio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/download.py" line="76" />
            <source>clear the directory download</source>
            <translation>borrar la descarga del directorio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/records.py" line="27" />
            <source>read the directory</source>
            <translation>leer el directorio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/search.py" line="265" />
            <source>search the directory</source>
            <translation>buscar en el directorio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/updates.py" line="42" />
            <source>import the directory</source>
            <translation>importar el directorio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/updates.py" line="71" />
            <source>no directory version</source>
            <translation>ninguna versión del directorio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/updates.py" line="73" />
            <source>version {current}</source>
            <translation>la versión {current}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/updates.py" line="76" />
            <source>this update applies to version {base_version}, but this laptop has {have}; a full snapshot is needed</source>
            <translation>esta actualización se aplica a la versión {base_version}, pero esta computadora tiene {have}; hace falta una copia completa</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/directory/updates.py" line="84" />
            <source>update the directory</source>
            <translation>actualizar el directorio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/groups.py" line="82" />
            <source>that participant does not exist</source>
            <translation>ese participante no existe</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/groups.py" line="91" />
            <source>read the groups</source>
            <translation>leer los grupos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/groups.py" line="104" />
            <source>save the group</source>
            <translation>guardar el grupo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/groups.py" line="122" />
            <source>end the group</source>
            <translation>terminar el grupo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/groups.py" line="125" />
            <source>this group has already ended</source>
            <translation>este grupo ya había terminado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/groups.py" line="135" />
            <source>save the group session</source>
            <translation>guardar la sesión de grupo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/groups.py" line="167" />
            <source>read the group sessions</source>
            <translation>leer las sesiones de grupo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/health.py" line="72" />
            <source>cannot open {path}: {problem}</source>
            <translation>no se puede abrir {path}: {problem}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/health.py" line="75" />
            <source>read the profile database</source>
            <translation>leer la base de datos del perfil</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/health.py" line="83" />
            <source>run the integrity check</source>
            <translation>hacer la comprobación de integridad</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/health.py" line="90" />
            <source>read the schema version</source>
            <translation>leer la versión del esquema</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/health.py" line="99" />
            <source>check {table}.{column} for plaintext</source>
            <translation>buscar texto sin cifrar en {table}.{column}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="83" />
            <source>{value} is not a valid {kind}</source>
            <translation>{value} no es un valor válido de {kind}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="143" />
            <source>save the draft</source>
            <translation>guardar el borrador</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="169" />
            <source>discard the draft</source>
            <translation>descartar el borrador</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="180" />
            <source>sign the note</source>
            <translation>firmar la nota</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="194" />
            <source>write the addendum text</source>
            <translation>escriba el texto del anexo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="197" />
            <source>an addendum is at most {limit} characters</source>
            <translation>un anexo tiene como máximo {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="200" />
            <source>save the addendum</source>
            <translation>guardar el anexo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="227" />
            <source>resubmit the note</source>
            <translation>volver a enviar la nota</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="235" />
            <source>add an addendum that answers the supervisor's comment, then resubmit</source>
            <translation>agregue un anexo que responda al comentario del supervisor y luego vuelva a enviarla</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="252" />
            <source>read the note's review history</source>
            <translation>leer el historial de revisión de la nota</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="282" />
            <source>import the notes</source>
            <translation>importar las notas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="294" />
            <source>read the note</source>
            <translation>leer la nota</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="303" />
            <source>read the participant</source>
            <translation>leer el participante</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="308" />
            <source>choose a participant for this note</source>
            <translation>elija un participante para esta nota</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="314" />
            <source>read the care team</source>
            <translation>leer el equipo de atención</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="322" />
            <source>the coordination contact is not on this person's care team</source>
            <translation>el contacto de coordinación no está en el equipo de atención de esta persona</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="333" />
            <source>read the addenda</source>
            <translation>leer los anexos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="346" />
            <source>read the addendum</source>
            <translation>leer el anexo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="355" />
            <source>read the notes of the day</source>
            <translation>leer las notas del día</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="412" />
            <source>read the notes</source>
            <translation>leer las notas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="436" />
            <source>a page has 1 to {limit} notes</source>
            <translation>una página tiene de 1 a {limit} notas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/notes.py" line="508" />
            <source>count the notes</source>
            <translation>contar las notas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/outbox.py" line="118" />
            <source>read the outbox</source>
            <translation>leer la bandeja de salida</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/outbox.py" line="122" />
            <source>count the outbox</source>
            <translation>contar la bandeja de salida</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="36" />
            <source>enter the street address (up to 55 characters)</source>
            <translation>escriba la dirección (hasta 55 caracteres)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="39" />
            <source>enter the city (up to 30 characters)</source>
            <translation>escriba la ciudad (hasta 30 caracteres)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="41" />
            <source>the state is two letters, such as WV</source>
            <translation>el estado son dos letras, como WV</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="43" />
            <source>a ZIP code has five or nine digits</source>
            <translation>un código postal (ZIP) tiene cinco o nueve dígitos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="61" />
            <source>enter a name</source>
            <translation>escriba un nombre</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="64" />
            <source>the name is longer than {limit} characters</source>
            <translation>el nombre tiene más de {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="68" />
            <source>the date of birth is in the future</source>
            <translation>la fecha de nacimiento está en el futuro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="70" />
            <source>the date of birth is before 1900</source>
            <translation>la fecha de nacimiento es anterior a 1900</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="73" />
            <source>a phone number has digits, spaces, + ( ) - or .</source>
            <translation>un número de teléfono tiene dígitos, espacios, + ( ) - o .</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="76" />
            <source>a Medicaid id has letters, digits or -</source>
            <translation>un número de Medicaid tiene letras, dígitos o -</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="79" />
            <source>details are longer than {limit} characters</source>
            <translation>los detalles tienen más de {limit} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="86" />
            <source>a diagnosis code is an ICD-10-CM code such as F33.1</source>
            <translation>un código de diagnóstico es un código ICD-10-CM, como F33.1</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="128" />
            <source>save the participant</source>
            <translation>guardar el participante</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/participants.py" line="188" />
            <source>read the participants</source>
            <translation>leer los participantes</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/profile_info.py" line="24" />
            <source>read the profile's role</source>
            <translation>leer el rol del perfil</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/profile_info.py" line="34" />
            <source>save the profile's role</source>
            <translation>guardar el rol del perfil</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/profile_info.py" line="44" />
            <source>number the claim file</source>
            <translation>numerar el archivo de reclamaciones</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="120" />
            <source>read the {kind}s</source>
            <translation>leer los registros ({kind})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="162" />
            <source>save the recovery plan</source>
            <translation>guardar el plan de recuperación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="211" />
            <source>save the intake</source>
            <translation>guardar el ingreso</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="231" />
            <source>choose a discharge reason</source>
            <translation>elija un motivo de alta</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="233" />
            <source>save the discharge</source>
            <translation>guardar el alta</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="255" />
            <source>save the consent</source>
            <translation>guardar el consentimiento</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="263" />
            <source>save the revocation</source>
            <translation>guardar la revocación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="266" />
            <source>this consent is revoked already</source>
            <translation>este consentimiento ya está revocado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="269" />
            <source>the revocation date is in the future</source>
            <translation>la fecha de revocación está en el futuro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="291" />
            <source>save the check-in</source>
            <translation>guardar el registro de bienestar</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="310" />
            <source>save the care-team entry</source>
            <translation>guardar la entrada del equipo de atención</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="321" />
            <source>an entry stays with its participant</source>
            <translation>una entrada se queda con su participante</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="336" />
            <source>this entry has ended already</source>
            <translation>esta entrada ya terminó</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="349" />
            <source>that consent does not exist</source>
            <translation>ese consentimiento no existe</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="351" />
            <source>that consent is another person's</source>
            <translation>ese consentimiento es de otra persona</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="372" />
            <source>flag the crisis</source>
            <translation>marcar la crisis</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="375" />
            <source>this person is flagged in crisis already</source>
            <translation>esta persona ya está marcada en crisis</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="383" />
            <source>clear the crisis flag</source>
            <translation>quitar la marca de crisis</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="387" />
            <source>this person is not flagged in crisis</source>
            <translation>esta persona no está marcada en crisis</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/record.py" line="406" />
            <source>save the safety plan</source>
            <translation>guardar el plan de seguridad</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/referrals.py" line="54" />
            <source>the follow-up note</source>
            <translation>la nota de seguimiento</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/referrals.py" line="57" />
            <source>save the referral</source>
            <translation>guardar la derivación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/referrals.py" line="70" />
            <source>that note does not exist</source>
            <translation>esa nota no existe</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/referrals.py" line="73" />
            <source>that note is about another participant</source>
            <translation>esa nota es de otro participante</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/referrals.py" line="80" />
            <source>that service is not in the directory</source>
            <translation>ese servicio no está en el directorio</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/referrals.py" line="118" />
            <source>unknown referral status {status}</source>
            <translation>estado de derivación desconocido {status}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/referrals.py" line="197" />
            <source>read the referrals</source>
            <translation>leer las derivaciones</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/referrals.py" line="209" />
            <source>the suggestion</source>
            <translation>la sugerencia</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/referrals.py" line="211" />
            <source>write what should change</source>
            <translation>escriba qué debería cambiar</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/referrals.py" line="213" />
            <source>save the suggestion</source>
            <translation>guardar la sugerencia</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/referrals.py" line="253" />
            <source>read the corrections</source>
            <translation>leer las correcciones</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/common.py" line="72" />
            <source>read the record</source>
            <translation>leer el registro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/inbox.py" line="51" />
            <source>read the review cursor</source>
            <translation>leer el punto de revisión</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/inbox.py" line="58" />
            <source>read the review state</source>
            <translation>leer el estado de revisión</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/inbox.py" line="71" />
            <source>save the team</source>
            <translation>guardar el equipo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/inbox.py" line="75" />
            <source>save the pull status</source>
            <translation>guardar el estado de la descarga</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/inbox.py" line="91" />
            <source>save the review key grants</source>
            <translation>guardar los permisos de las claves de revisión</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/inbox.py" line="100" />
            <source>read the review key grants</source>
            <translation>leer los permisos de las claves de revisión</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/inbox.py" line="110" />
            <source>save the team's laptops</source>
            <translation>guardar las computadoras del equipo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/inbox.py" line="128" />
            <source>save the pulled records</source>
            <translation>guardar los registros descargados</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/inbox.py" line="145" />
            <source>read the broken records</source>
            <translation>leer los registros dañados</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/inbox.py" line="167" />
            <source>save the repaired records</source>
            <translation>guardar los registros reparados</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/inbox.py" line="386" />
            <source>save the review history</source>
            <translation>guardar el historial de revisión</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/queue.py" line="41" />
            <source>read the team's laptops</source>
            <translation>leer las computadoras del equipo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/queue.py" line="51" />
            <source>read the laptop</source>
            <translation>leer la computadora</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/queue.py" line="84" />
            <source>unknown review state {state} (one of: {states})</source>
            <translation>estado de revisión desconocido {state} (uno de: {states})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/queue.py" line="95" />
            <source>the end date is before the start date</source>
            <translation>la fecha final es anterior a la fecha inicial</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/queue.py" line="109" />
            <source>a page has 1 to {limit} lines</source>
            <translation>una página tiene de 1 a {limit} líneas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/queue.py" line="112" />
            <source>the offset cannot be negative</source>
            <translation>el desplazamiento no puede ser negativo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/queue.py" line="114" />
            <source>count the review queue</source>
            <translation>contar la cola de revisión</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/queue.py" line="126" />
            <source>read the review queue</source>
            <translation>leer la cola de revisión</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/queue.py" line="226" />
            <source>read the trips</source>
            <translation>leer los viajes</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/queue.py" line="256" />
            <source>read the review history</source>
            <translation>leer el historial de revisión</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/records.py" line="28" />
            <source>read the participants' records</source>
            <translation>leer los expedientes de los participantes</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/team.py" line="132" />
            <source>read the team's notes</source>
            <translation>leer las notas del equipo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/team.py" line="168" />
            <source>read the team's participants</source>
            <translation>leer los participantes del equipo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/team.py" line="202" />
            <source>read the team's trips</source>
            <translation>leer los viajes del equipo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/team.py" line="234" />
            <source>read the overdue notes</source>
            <translation>leer las notas atrasadas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/review/workforce.py" line="50" />
            <source>read the team's workforce records</source>
            <translation>leer los registros laborales del equipo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/sync_state.py" line="78" />
            <source>update the outbox</source>
            <translation>actualizar la bandeja de salida</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/sync_state.py" line="89" />
            <source>record the acknowledgements</source>
            <translation>registrar las confirmaciones de recibo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/sync_state.py" line="113" />
            <source>put the records back in the queue</source>
            <translation>devolver los registros a la cola</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/sync_state.py" line="124" />
            <source>quarantine the record</source>
            <translation>dejar de lado el registro</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/sync_state.py" line="139" />
            <source>read the quarantine</source>
            <translation>leer los registros dejados de lado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/sync_state.py" line="199" />
            <source>read the sync status</source>
            <translation>leer el estado de sincronización</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/sync_state.py" line="209" />
            <source>record the sync attempt</source>
            <translation>registrar el intento de sincronización</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/sync_state.py" line="238" />
            <source>record the sync result</source>
            <translation>registrar el resultado de la sincronización</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/sync_state.py" line="259" />
            <source>read the sync history</source>
            <translation>leer el historial de sincronización</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/sync_state.py" line="301" />
            <source>save the supervisor's feedback</source>
            <translation>guardar los comentarios del supervisor</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/sync_state.py" line="348" />
            <source>read the feedback</source>
            <translation>leer los comentarios</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/sync_state.py" line="365" />
            <source>update the note's review state</source>
            <translation>actualizar el estado de revisión de la nota</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/trips.py" line="46" />
            <source>unknown trip purpose {purpose}</source>
            <translation>motivo de viaje desconocido {purpose}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/trips.py" line="52" />
            <source>unknown destination type {destination_type}</source>
            <translation>tipo de destino desconocido {destination_type}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/trips.py" line="60" />
            <source>choose the participant who rode along</source>
            <translation>elija el participante que viajó con usted</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/trips.py" line="63" />
            <source>destination</source>
            <translation>el destino</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/trips.py" line="64" />
            <source>notes</source>
            <translation>el campo de notas</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/trips.py" line="86" />
            <source>save the trip</source>
            <translation>guardar el viaje</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/workforce.py" line="93" />
            <source>read the {kind} records</source>
            <translation>leer los registros ({kind})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/workforce.py" line="127" />
            <source>save the supervision session</source>
            <translation>guardar la sesión de supervisión</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/workforce.py" line="135" />
            <source>save the follow-ups</source>
            <translation>guardar los seguimientos</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/workforce.py" line="159" />
            <source>save the certification</source>
            <translation>guardar la certificación</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/workforce.py" line="184" />
            <source>save the CEU entry</source>
            <translation>guardar la entrada de CEU</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/workforce.py" line="204" />
            <source>share the check-in</source>
            <translation>compartir el registro de bienestar</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/workforce.py" line="207" />
            <source>this check-in is shared already</source>
            <translation>este registro de bienestar ya está compartido</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/workforce.py" line="225" />
            <source>save the self-care plan</source>
            <translation>guardar el plan de autocuidado</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/workforce.py" line="235" />
            <source>read the workforce settings</source>
            <translation>leer los ajustes laborales</translation>
        </message>
        <message>
            <location filename="../../peerdesk/store/workforce.py" line="249" />
            <source>save the workforce settings</source>
            <translation>guardar los ajustes laborales</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="101" />
            <source>full directory</source>
            <translation>directorio completo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="103" />
            <source>update from version {base}</source>
            <translation>actualización desde la versión {base}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="105" />
            <source>directory version {version} ({what})</source>
            <translation>versión {version} del directorio ({what})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="130" />
            <source>the update packs to {size} bytes; laptops accept at most {limit}</source>
            <translation>la actualización ocupa {size} bytes empaquetada; las computadoras aceptan como máximo {limit}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="172" />
            <source>the manifest's {key} must be a whole number from {low} to {high}</source>
            <translation>el campo {key} del manifiesto debe ser un número entero de {low} a {high}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="193" />
            <source>the manifest is of an unknown format</source>
            <translation>el manifiesto tiene un formato desconocido</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="201" />
            <source>the manifest's issued_at is not a time</source>
            <translation>el campo issued_at del manifiesto no es una hora</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="205" />
            <source>the manifest must list 1 to {limit} chunks</source>
            <translation>el manifiesto debe listar de 1 a {limit} partes</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="220" />
            <source>chunk {number} of the manifest is malformed</source>
            <translation>la parte {number} del manifiesto está mal formada</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="234" />
            <source>chunk {i} is {size} bytes; at most {limit} are accepted</source>
            <translation>la parte {i} ocupa {size} bytes; se aceptan como máximo {limit}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="245" />
            <source>chunk {i} unpacks to {raw_size} bytes; at most {limit} are accepted</source>
            <translation>la parte {i} ocupa {raw_size} bytes desempaquetada; se aceptan como máximo {limit}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="256" />
            <source>the update unpacks to {raw_bytes} bytes; at most {limit} are accepted</source>
            <translation>la actualización ocupa {raw_bytes} bytes desempaquetada; se aceptan como máximo {limit}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="269" />
            <source>chunk {number} of {count} of {update}</source>
            <translation>la parte {number} de {count} de {update}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="277" />
            <source>{where} is {size} bytes, over the {limit} accepted</source>
            <translation>{where} ocupa {size} bytes, más de los {limit} aceptados</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="287" />
            <source>{where} does not match the signed manifest (altered or damaged); it was not kept</source>
            <translation>{where} no coincide con el manifiesto firmado (alterada o dañada); no se guardó</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="299" />
            <source>chunks are missing</source>
            <translation>faltan partes</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="308" />
            <source>chunk {number} does not unpack ({problem})</source>
            <translation>la parte {number} no se puede desempaquetar ({problem})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="313" />
            <source>chunk {number} unpacks to the wrong size</source>
            <translation>la parte {number} desempaquetada no tiene el tamaño correcto</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="320" />
            <source>the update is not readable ({problem})</source>
            <translation>la actualización no se puede leer ({problem})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="323" />
            <source>the update is not a map</source>
            <translation>la actualización no es un mapa</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="326" />
            <source>the update is not the manifest's version</source>
            <translation>la actualización no es la versión del manifiesto</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/directory_chunks.py" line="333" />
            <source>the update is not what the manifest describes</source>
            <translation>la actualización no es lo que describe el manifiesto</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="98" />
            <source>[{prefix}]</source>
            <translation>[{prefix}]</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="98" />
            <source>at the top of the file</source>
            <translation>al principio del archivo</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="101" />
            <source>[{prefix}] must be a table</source>
            <translation>[{prefix}] debe ser una tabla</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="103" />
            <source>the file must hold key = value lines</source>
            <translation>el archivo debe tener líneas clave = valor</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="112" />
            <source>{key} (did you mean {close}?)</source>
            <translation>{key} (¿quiso decir {close}?)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="117" />
            <source>{list}, {item}</source>
            <translation>{list}, {item}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="119" />
            <source>unknown key(s): {hints}; known {where}: {known}</source>
            <translation>claves desconocidas: {hints}; conocidas {where}: {known}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="134" />
            <source>{key} {problem}</source>
            <translation>{key} {problem}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="141" />
            <source>is missing</source>
            <translation>falta</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="144" />
            <source>must be a text of 1-{max_len} characters</source>
            <translation>debe ser un texto de 1 a {max_len} caracteres</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="146" />
            <source>must not contain control characters</source>
            <translation>no debe contener caracteres de control</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="153" />
            <source>must be a whole number from {low} to {high}</source>
            <translation>debe ser un número entero de {low} a {high}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="190" />
            <source>must be the agency's Ed25519 root public key: 64 hexadecimal characters</source>
            <translation>debe ser la clave pública raíz Ed25519 de la agencia: 64 caracteres hexadecimales</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="195" />
            <source>is the example's placeholder: use the file `peerdesk-agency provisioning` writes</source>
            <translation>es el valor de ejemplo: use el archivo que escribe `peerdesk-agency provisioning`</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="199" />
            <source>must be 16 hexadecimal characters</source>
            <translation>debe tener 16 caracteres hexadecimales</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="203" />
            <source>does not match root_public_key (check both against `peerdesk-agency init`)</source>
            <translation>no coincide con root_public_key (compare ambas con `peerdesk-agency init`)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="213" />
            <source>must be a PEM certificate (-----BEGIN CERTIFICATE-----)</source>
            <translation>debe ser un certificado PEM (-----BEGIN CERTIFICATE-----)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="217" />
            <source>is not a usable certificate ({problem})</source>
            <translation>no es un certificado que se pueda usar ({problem})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="228" />
            <source>must be a list of setting names ({names})</source>
            <translation>debe ser una lista de nombres de ajustes ({names})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="233" />
            <source>is always set by the agency</source>
            <translation>siempre lo fija la agencia</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="235" />
            <source>is unknown</source>
            <translation>es desconocido</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="239" />
            <source>names {name}, which {why}; lockable: {names}</source>
            <translation>nombra {name}, que {why}; se pueden bloquear: {names}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="263" />
            <source>is missing (format = {provisioning_format})</source>
            <translation>falta (format = {provisioning_format})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="271" />
            <source>must be {provisioning_format} (this file is for another PeerDesk version)</source>
            <translation>debe ser {provisioning_format} (este archivo es para otra versión de PeerDesk)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="277" />
            <source>is missing: the file needs an [agency] table</source>
            <translation>falta: el archivo necesita una tabla [agency]</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="281" />
            <source>must be one line</source>
            <translation>debe ser una sola línea</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="309" />
            <source>cannot read the provisioning file: {problem}</source>
            <translation>no se puede leer el archivo de aprovisionamiento: {problem}</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="313" />
            <source>the provisioning file is too large</source>
            <translation>el archivo de aprovisionamiento es demasiado grande</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="317" />
            <source>the provisioning file is not UTF-8 text</source>
            <translation>el archivo de aprovisionamiento no es texto UTF-8</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="320" />
            <source>this is a JSON provisioning file from a development version; make a new one with `peerdesk-agency provisioning` (TOML)</source>
            <translation>este es un archivo de aprovisionamiento JSON de una versión de desarrollo; haga uno nuevo con `peerdesk-agency provisioning` (TOML)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/provisioning.py" line="330" />
            <source>the provisioning file is not valid TOML ({problem})</source>
            <translation>el archivo de aprovisionamiento no es TOML válido ({problem})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/urls.py" line="21" />
            <source>{name} must be a URL such as https://agency.example.org</source>
            <translation>{name} debe ser una URL, como https://agency.example.org</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/urls.py" line="30" />
            <source>{name} is not a valid URL ({problem})</source>
            <translation>{name} no es una URL válida ({problem})</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/urls.py" line="34" />
            <source>{name} must start with https:// and name a host</source>
            <translation>{name} debe empezar con https:// y nombrar un servidor</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/urls.py" line="38" />
            <source>{name} must use https:// (plain http is only allowed to 127.0.0.1 or localhost, for the demo)</source>
            <translation>{name} debe usar https:// (http simple solo se permite con 127.0.0.1 o localhost, para la demostración)</translation>
        </message>
        <message>
            <location filename="../../peerdesk/wire/urls.py" line="46" />
            <source>{name} must not carry a user name, password, query or fragment</source>
            <translation>{name} no debe llevar nombre de usuario, contraseña, consulta ni fragmento</translation>
        </message>
    </context>
</TS>
