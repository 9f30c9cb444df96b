<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
    <context>
        <name />
        <message>
            <location filename="../../ui/app.py" line="+314" />
            <source>Sync status</source>
            <translation>Estado de la sincronización</translation>
        </message>
        <message>
            <location line="+11" />
            <source>&amp;Lock</source>
            <translation>&amp;Bloquear</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Lock PeerDesk now (Ctrl+L)</source>
            <translation>Bloquear PeerDesk ahora (Ctrl+L)</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Profile</source>
            <translation>&amp;Perfil</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Go</source>
            <translation>&amp;Ir a</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sections list</source>
            <translation>Lista de secciones</translation>
        </message>
        <message>
            <location line="+22" />
            <location filename="../../ui/screens/today.py" line="+155" />
            <source>Today</source>
            <translation>Hoy</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/participants.py" line="+304" />
            <location line="+28" />
            <source>Participants</source>
            <translation>Participantes</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/notes.py" line="+69" />
            <location filename="../../ui/screens/today.py" line="+37" />
            <source>Notes</source>
            <translation>Notas</translation>
        </message>
        <message>
            <location line="+1" />
            <location filename="../../ui/screens/today.py" line="+9" />
            <location filename="../../ui/screens/trips.py" line="+105" />
            <source>Trips</source>
            <translation>Viajes</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Resources</source>
            <translation>Recursos</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sync</source>
            <translation>Sincronizar</translation>
        </message>
        <message>
            <location line="+11" />
            <source>PeerDesk — {profile}</source>
            <translation>PeerDesk — {profile}</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Sections</source>
            <translation>Secciones</translation>
        </message>
        <message>
            <location line="+92" />
            <source>Offline · never synced · %1 waiting to sync · %2 held back</source>
            <translation>Sin conexión · nunca sincronizado · %1 por sincronizar · %2 retenidos</translation>
        </message>
        <message>
            <location filename="../../ui/dialogs/profile_setup.py" line="+41" />
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
            <location line="+39" />
            <source>New PeerDesk profile</source>
            <translation>Nuevo perfil de PeerDesk</translation>
        </message>
        <message>
            <location line="+5" />
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
            <location line="+4" />
            <location filename="../../ui/dialogs/unlock.py" line="+95" />
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
            <location line="+2" />
            <source>&amp;Show passphrase</source>
            <translation>&amp;Mostrar la frase de contraseña</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Show passphrase</source>
            <translation>Mostrar la frase de contraseña</translation>
        </message>
        <message>
            <location line="+3" />
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
            <location line="+5" />
            <location line="+1" />
            <location filename="../../ui/dialogs/unlock.py" line="+22" />
            <location line="+1" />
            <location filename="../../ui/screens/participants.py" line="-144" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Profile &amp;name:</source>
            <translation>&amp;Nombre del perfil:</translation>
        </message>
        <message>
            <location line="+2" />
            <source>&amp;Passphrase:</source>
            <translation>&amp;Frase de contraseña:</translation>
        </message>
        <message>
            <location line="+9" />
            <source>&amp;Confirm passphrase:</source>
            <translation>&amp;Confirmar la frase:</translation>
        </message>
        <message>
            <location line="+43" />
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
            <location line="+11" />
            <source>At least 15 characters. Spaces and any language are fine.</source>
            <translation>Al menos 15 caracteres. Puede usar espacios y cualquier idioma.</translation>
        </message>
        <message>
            <location line="+14" />
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
            <location line="+14" />
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
            <location line="+41" />
            <source>Creating the profile and its keys. This takes a moment…</source>
            <translation>Creando el perfil y sus claves. Esto toma un momento…</translation>
        </message>
        <message>
            <location line="+19" />
            <source>A profile with this name already exists. Choose another name.</source>
            <translation>Ya existe un perfil con este nombre. Elija otro nombre.</translation>
        </message>
        <message>
            <location line="+3" />
            <source>The passphrase was refused:</source>
            <translation>La frase de contraseña no fue aceptada:</translation>
        </message>
        <message>
            <location line="+3" />
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
            <location line="+5" />
            <source>Choose your profile and type its passphrase.</source>
            <translation>Elija su perfil y escriba su frase de contraseña.</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Instructions</source>
            <translation>Instrucciones</translation>
        </message>
        <message>
            <location line="+37" />
            <source>There is no profile on this computer yet. Choose “New profile…”.</source>
            <translation>Todavía no hay ningún perfil en esta computadora. Elija “Nuevo perfil…”.</translation>
        </message>
        <message>
            <location line="+36" />
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
            <source>Approved</source>
            <translation>Aprobada</translation>
        </message>
        <message>
            <location line="+1" />
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
            <source>Housing</source>
            <translation>Vivienda</translation>
        </message>
        <message>
            <location line="+1" />
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
            <location filename="../../ui/models/notes.py" line="+340" />
            <location filename="../../ui/screens/participants.py" line="+207" />
            <location filename="../../ui/screens/trips.py" line="+120" />
            <source>Date</source>
            <translation>Fecha</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/note_editor.py" line="+171" />
            <location filename="../../ui/screens/participants.py" line="-27" />
            <source>Participant</source>
            <translation>Participante</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/participants.py" line="+27" />
            <source>Template</source>
            <translation>Plantilla</translation>
        </message>
        <message>
            <location line="+0" />
            <location filename="../../ui/screens/participants.py" line="+0" />
            <source>State</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location line="+3" />
            <source>(unknown)</source>
            <translation>(desconocido)</translation>
        </message>
        <message>
            <location filename="../../ui/screens/note_editor.py" line="-104" />
            <source>Problem</source>
            <translation>Problema</translation>
        </message>
        <message>
            <location line="+19" />
            <source>Sign and lock this note?</source>
            <translation>¿Firmar y bloquear esta nota?</translation>
        </message>
        <message>
            <location line="+2" />
            <source>A signed note can no longer be changed; corrections are added as addenda. Sign and lock this note now?</source>
            <translation>Una nota firmada ya no se puede cambiar; las correcciones se agregan como anexos. ¿Firmar y bloquear esta nota ahora?</translation>
        </message>
        <message>
            <location line="+60" />
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
            <location line="+16" />
            <location filename="../../ui/screens/trips.py" line="-50" />
            <source>P&amp;articipant:</source>
            <translation>P&amp;articipante:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Note template</source>
            <translation>Plantilla de la nota</translation>
        </message>
        <message>
            <location line="+4" />
            <source>&amp;Template:</source>
            <translation>Pla&amp;ntilla:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Contact type</source>
            <translation>Tipo de contacto</translation>
        </message>
        <message>
            <location line="+3" />
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
            <location line="+2" />
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
            <location line="+14" />
            <source>Save status</source>
            <translation>Estado del guardado</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Sign &amp;&amp; loc&amp;k…</source>
            <translation>Firmar y blo&amp;quear…</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Sign and lock the note</source>
            <translation>Firmar y bloquear la nota</translation>
        </message>
        <message>
            <location line="+108" />
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
            <location line="+88" />
            <source>{when}: {text}</source>
            <translation>{when}: {text}</translation>
        </message>
        <message>
            <location line="+71" />
            <source>Billable: cannot count units. {reason}</source>
            <translation>Facturable: no se pueden contar las unidades. {reason}</translation>
        </message>
        <message>
            <location line="+7" />
            <source>Not billable: {payer} does not pay for this contact type ({minutes} minutes).</source>
            <translation>No facturable: {payer} no paga este tipo de contacto ({minutes} minutos).</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Billable: 1 unit ({minutes} minutes, {code})</source>
            <translation>Facturable: 1 unidad ({minutes} minutos, {code})</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Billable: {units} units ({minutes} minutes, {code})</source>
            <translation>Facturable: {units} unidades ({minutes} minutos, {code})</translation>
        </message>
        <message>
            <location line="+39" />
            <location filename="../../ui/widgets.py" line="+59" />
            <source>Problem: {message}</source>
            <translation>Problema: {message}</translation>
        </message>
        <message>
            <location line="+6" />
            <source>Not saved: {message}</source>
            <translation>No se guardó: {message}</translation>
        </message>
        <message>
            <location line="+29" />
            <source>Not saved: the end time must be after the start time.</source>
            <translation>No se guardó: la hora de fin debe ser después de la hora de inicio.</translation>
        </message>
        <message>
            <location line="+16" />
            <source>Draft saved at {time}</source>
            <translation>Borrador guardado a las {time}</translation>
        </message>
        <message>
            <location line="+26" />
            <source>Problem: choose a participant first.</source>
            <translation>Problema: primero elija un participante.</translation>
        </message>
        <message>
            <location line="+9" />
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
            <location line="+19" />
            <source>Addendum added.</source>
            <translation>Anexo agregado.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/notes.py" line="+3" />
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
            <location line="+2" />
            <source>&amp;New note</source>
            <translation>&amp;Nueva nota</translation>
        </message>
        <message>
            <location line="+12" />
            <source>Notes list</source>
            <translation>Lista de notas</translation>
        </message>
        <message>
            <location line="+5" />
            <source>N&amp;otes:</source>
            <translation>N&amp;otas:</translation>
        </message>
        <message>
            <location line="+4" />
            <source>Notes list status</source>
            <translation>Estado de la lista de notas</translation>
        </message>
        <message>
            <location line="+39" />
            <source>Loading notes…</source>
            <translation>Cargando las notas…</translation>
        </message>
        <message>
            <location line="+14" />
            <source>%n note(s)</source>
            <translation>%n nota(s)</translation>
        </message>
        <message>
            <location line="+2" />
            <source>%n damaged note(s) could not be read.</source>
            <translation>No se pudieron leer %n nota(s) dañada(s).</translation>
        </message>
        <message>
            <location filename="../../ui/screens/participants.py" line="-233" />
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
            <location line="+2" />
            <source>Date of &amp;birth:</source>
            <translation>F&amp;echa de nacimiento:</translation>
        </message>
        <message>
            <location line="+3" />
            <location line="+3" />
            <source>optional</source>
            <translation>opcional</translation>
        </message>
        <message>
            <location line="-2" />
            <source>&amp;Phone:</source>
            <translation>&amp;Teléfono:</translation>
        </message>
        <message>
            <location line="+3" />
            <source>&amp;Medicaid id:</source>
            <translation>Número de &amp;Medicaid:</translation>
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
            <location line="+5" />
            <source>Participant form status</source>
            <translation>Estado del formulario del participante</translation>
        </message>
        <message>
            <location line="+30" />
            <source>Add a participant</source>
            <translation>Agregar un participante</translation>
        </message>
        <message>
            <location line="+6" />
            <location line="+113" />
            <source>Edit participant</source>
            <translation>Editar participante</translation>
        </message>
        <message>
            <location line="-19" />
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
            <location line="+34" />
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
        <message>
            <location line="+55" />
            <source>{shown} of {total} shown</source>
            <translation>Se muestran {shown} de {total}</translation>
        </message>
        <message>
            <location line="+41" />
            <source>not recorded</source>
            <translation>no registrado</translation>
        </message>
        <message>
            <location line="+27" />
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
            <location line="+2" />
            <source>{n} damaged note(s) could not be read.</source>
            <translation>No se pudieron leer {n} nota(s) dañada(s).</translation>
        </message>
        <message>
            <location line="+27" />
            <source>enter a name</source>
            <translation>escriba un nombre</translation>
        </message>
        <message>
            <location line="+27" />
            <location filename="../../ui/screens/trips.py" line="+156" />
            <source>Saving…</source>
            <translation>Guardando…</translation>
        </message>
        <message>
            <location line="+17" />
            <source>Not saved; please check the form.</source>
            <translation>No se guardó; revise el formulario.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/resources.py" line="+26" />
            <source>Resource directory</source>
            <translation>Directorio de recursos</translation>
        </message>
        <message>
            <location line="+2" />
            <source>This page will hold the community resource directory: clinics, food banks, shelters, crisis lines and other services, searchable without an internet connection, and a way to refer a participant to one of them.</source>
            <translation>Esta página tendrá el directorio de recursos de la comunidad: clínicas, bancos de comida, refugios, líneas de crisis y otros servicios, que se podrán buscar sin conexión a internet, y una forma de referir a un participante a uno de ellos.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>It is not part of this version yet, so there is nothing to search here for now. Please use your agency's resource list in the meantime.</source>
            <translation>Todavía no forma parte de esta versión, así que por ahora no hay nada que buscar aquí. Mientras tanto, use la lista de recursos de su agencia.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/sync.py" line="+26" />
            <source>Sync with your agency</source>
            <translation>Sincronización con su agencia</translation>
        </message>
        <message>
            <location line="+2" />
            <source>This page will show your sync with the agency: what is waiting to be sent, anything the agency held back and why, when the last successful sync was, and a button to sync now.</source>
            <translation>Esta página mostrará la sincronización con la agencia: lo que espera para enviarse, lo que la agencia haya retenido y por qué, cuándo fue la última sincronización exitosa y un botón para sincronizar ahora.</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Sync is not part of this version yet: nothing is sent from this computer. Signed notes, addenda, trips and participant changes are kept in a queue on this computer until sync arrives; the status bar shows how many wait.</source>
            <translation>La sincronización todavía no forma parte de esta versión: no se envía nada desde esta computadora. Las notas firmadas, los anexos, los viajes y los cambios de participantes se guardan en una cola en esta computadora hasta que llegue la sincronización; la barra de estado muestra cuántos esperan.</translation>
        </message>
        <message>
            <location filename="../../ui/screens/today.py" line="-37" />
            <source>&amp;Refresh</source>
            <translation>&amp;Actualizar</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Refresh today</source>
            <translation>Actualizar el día de hoy</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Read the day again (F5)</source>
            <translation>Volver a leer el día (F5)</translation>
        </message>
        <message>
            <location line="+13" />
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
            <location line="+13" />
            <source>&amp;Drafts to finish:</source>
            <translation>&amp;Borradores por terminar:</translation>
        </message>
        <message>
            <location line="+3" />
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
            <location line="+53" />
            <source>Today, {date}</source>
            <translation>Hoy, {date}</translation>
        </message>
        <message>
            <location line="+47" />
            <source>(unknown participant)</source>
            <translation>(participante desconocido)</translation>
        </message>
        <message>
            <location line="+16" />
            <source>No drafts waiting. All notes are signed.</source>
            <translation>No hay borradores pendientes. Todas las notas están firmadas.</translation>
        </message>
        <message>
            <location line="+6" />
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
            <location line="+3" />
            <location line="+18" />
            <source>{miles} miles</source>
            <translation>{miles} millas</translation>
        </message>
        <message>
            <location line="-10" />
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
            <location line="+6" />
            <source>%n damaged record(s) could not be read and are not shown.</source>
            <translation>
                <numerusform>%n registro dañado no se pudo leer y no se muestra.</numerusform>
                <numerusform>%n registros dañados no se pudieron leer y no se muestran.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+6" />
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
            <location filename="../../ui/screens/trips.py" line="-271" />
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
            <location line="+66" />
            <source>Log a trip</source>
            <translation>Registrar un viaje</translation>
        </message>
        <message>
            <location line="+9" />
            <source>&amp;Date:</source>
            <translation>&amp;Fecha:</translation>
        </message>
        <message>
            <location line="+5" />
            <source>&amp;Purpose:</source>
            <translation>&amp;Motivo:</translation>
        </message>
        <message>
            <location line="+5" />
            <source>Destination &amp;type:</source>
            <translation>&amp;Tipo de destino:</translation>
        </message>
        <message>
            <location line="+3" />
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
            <location line="+210" />
            <source>(no participant)</source>
            <translation>(sin participante)</translation>
        </message>
        <message>
            <location line="-208" />
            <source>The participant rode &amp;with me</source>
            <translation>El participante viajó &amp;conmigo</translation>
        </message>
        <message>
            <location line="+1" />
            <location line="+52" />
            <source>With participant</source>
            <translation>Con participante</translation>
        </message>
        <message>
            <location line="-48" />
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
        <message>
            <location line="+5" />
            <source>Trip form status</source>
            <translation>Estado del formulario de viaje</translation>
        </message>
        <message>
            <location line="+17" />
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
            <location line="+11" />
            <source>Purpose</source>
            <translation>Motivo</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Destination type</source>
            <translation>Tipo de destino</translation>
        </message>
        <message>
            <location line="+1" />
            <source>Destination</source>
            <translation>Destino</translation>
        </message>
        <message>
            <location line="+2" />
            <source>Miles</source>
            <translation>Millas</translation>
        </message>
        <message>
            <location line="+3" />
            <source>Trips of the month</source>
            <translation>Viajes del mes</translation>
        </message>
        <message>
            <location line="+9" />
            <source>Month totals</source>
            <translation>Totales del mes</translation>
        </message>
        <message>
            <location line="+50" />
            <source>enter a number, for example 12.5</source>
            <translation>escriba un número, por ejemplo 12.5</translation>
        </message>
        <message>
            <location line="+58" />
            <source>Trip of {date} saved: {miles} miles.</source>
            <translation>Viaje del {date} guardado: {miles} millas.</translation>
        </message>
        <message>
            <location line="+11" />
            <source>The trip was not saved; please check the form.</source>
            <translation>No se guardó el viaje; revise el formulario.</translation>
        </message>
        <message>
            <location line="+63" />
            <source>Yes</source>
            <translation>Sí</translation>
        </message>
        <message>
            <location line="+0" />
            <source>No</source>
            <translation>No</translation>
        </message>
        <message>
            <location line="+6" />
            <source>check readings</source>
            <translation>revise las lecturas</translation>
        </message>
        <message>
            <location line="+37" />
            <source>{n} trip record(s) of this month are damaged and not shown.</source>
            <translation>{n} registro(s) de viaje de este mes están dañados y no se muestran.</translation>
        </message>
        <message>
            <location line="+4" />
            <source>{n} trip(s) have readings that do not add up and are not counted.</source>
            <translation>{n} viaje(s) tienen lecturas que no cuadran y no se cuentan.</translation>
        </message>
    </context>
    <context>
        <name>errors</name>
        <message>
            <location filename="../../ui/errors.py" line="+85" />
            <source>Something unexpected went wrong; please try again, and tell your supervisor if it keeps happening.</source>
            <translation>Algo salió mal de forma inesperada; inténtelo otra vez y avísele a su supervisor si sigue pasando.</translation>
        </message>
        <message>
            <location line="+35" />
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
        <message numerus="yes">
            <location line="+15" />
            <source>Too many wrong passphrases; please wait %n second(s) before you try again.</source>
            <translation>
                <numerusform>Demasiadas frases de contraseña incorrectas; espere %n segundo antes de intentarlo otra vez.</numerusform>
                <numerusform>Demasiadas frases de contraseña incorrectas; espere %n segundos antes de intentarlo otra vez.</numerusform>
            </translation>
        </message>
        <message>
            <location line="+10" />
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
            <location line="+11" />
            <source>Please check what you entered.</source>
            <translation>Revise lo que escribió.</translation>
        </message>
        <message>
            <location line="+7" />
            <source>You cannot {action} a note that is {state}.</source>
            <translation>No se puede {action} una nota que está en estado {state}.</translation>
        </message>
        <message>
            <location line="+9" />
            <source>PeerDesk could not use one of its settings files.</source>
            <translation>PeerDesk no pudo usar uno de sus archivos de configuración.</translation>
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
            <location line="+7" />
            <source>The agency could not be reached ({cause}); your work is safe and waits here.</source>
            <translation>No se pudo conectar con la agencia ({cause}); su trabajo está a salvo y espera aquí.</translation>
        </message>
        <message>
            <location line="+7" />
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
            <source>The resource directory data has a problem at {place}; nothing was changed.</source>
            <translation>Los datos del directorio de recursos tienen un problema en {place}; no se cambió nada.</translation>
        </message>
        <message numerus="yes">
            <location filename="../../ui/errors.py" line="143" />
            <source>That passphrase is not right; %n more wrong attempt(s) will erase this profile for safety.</source>
            <translation>
                <numerusform>Esa frase de contraseña no es correcta; con %n intento incorrecto más se borrará este perfil por seguridad.</numerusform>
                <numerusform>Esa frase de contraseña no es correcta; con %n intentos incorrectos más se borrará este perfil por seguridad.</numerusform>
            </translation>
        </message>
    </context>
</TS>
